/** Candidates: an http(s) URL, or a `www.` address written without its scheme. */
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`\]{}|\\^]+|\bwww\.[^\s<>"'`\]{}|\\^]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'"…。、」』]+$/u;
const HANGUL = /\p{Script=Hangul}+$/u;

/**
 * The web addresses written in a text, in order, each once: `https://…` and `www.…` (read as
 * https). Sentence punctuation after a URL, an unbalanced closing parenthesis (a Markdown link's) and a
 * Korean particle glued to an ASCII path (`…/pricing에서`) are not part of it; a path that is Korean
 * itself (`/wiki/계약`) is kept.
 */
export function urlsIn(text: string, max = Number.POSITIVE_INFINITY): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const url = cleaned(match[0]);
    if (!url) continue;
    const absolute = /^https?:\/\//i.test(url) ? url : `https://${url}`;
    let key: string;
    try {
      key = new URL(absolute).href;
    } catch {
      continue;
    }
    if (!found.includes(key)) found.push(key);
    if (found.length >= max) break;
  }
  return found;
}

function cleaned(raw: string): string {
  let url = raw;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING_PUNCTUATION, "");
    while (url.endsWith(")") && count(url, "(") < count(url, ")")) url = url.slice(0, -1);
    const particle = HANGUL.exec(url);
    if (particle) {
      const rest = url.slice(0, particle.index);
      // Hangul straight after ASCII letters or digits in a path is a particle ("pricing에서").
      if (/[A-Za-z0-9/]$/.test(rest) && !/\/$/.test(rest)) url = rest;
    }
    if (url === before) return url;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
