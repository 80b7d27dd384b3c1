/** Characters of a chunk quoted in a citation. */
const SNIPPET_CHARS = 220;

/**
 * The passage of a chunk worth quoting: around the first place a search term appears (case-insensitive),
 * cut at spaces, with `…` where text was left out; the chunk's start when no term appears literally (a
 * word-similarity match). The heading line the chunk starts with is not repeated.
 */
export function snippetOf(body: string, heading: string, terms: readonly string[]): string {
  const text = (heading && body.startsWith(heading) ? body.slice(heading.length) : body)
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= SNIPPET_CHARS) return text;
  const lower = text.toLowerCase();
  const found = terms.map((term) => lower.indexOf(term.toLowerCase())).filter((at) => at >= 0);
  const at = found.length > 0 ? Math.min(...found) : 0;
  let start = Math.max(0, at - Math.floor(SNIPPET_CHARS / 3));
  if (start > 0) {
    const space = text.indexOf(" ", start);
    start = space >= 0 && space < at ? space + 1 : start;
  }
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    end = space > start + SNIPPET_CHARS / 2 ? space : end;
  }
  return `${start > 0 ? "…" : ""}${text.slice(start, end).trim()}${end < text.length ? "…" : ""}`;
}
