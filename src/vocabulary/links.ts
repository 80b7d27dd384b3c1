/**
 * Links in the model's Markdown. A label can say anything ("your bank") while the URL points elsewhere,
 * and a prompt-injected answer would use exactly that; so wherever a label is not the URL itself, the
 * real host is shown beside it. The host comes from the WHATWG URL parser: user info
 * (`https://bank.example@evil.example`) is dropped and international names appear as punycode, so a
 * look-alike host looks different.
 */

/** The host to show beside a link, or undefined when its label already is its URL. */
export function hiddenLinkHost(label: string, url: string): string | undefined {
  if (sameAddress(label, url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.host || url;
  } catch {
    return url;
  }
}

/** The label as a reader sees the address: case, the scheme and a trailing slash do not matter. */
function sameAddress(label: string, url: string): boolean {
  const bare = (text: string) =>
    text
      .trim()
      .replace(/^<|>$/g, "")
      .replace(/^https?:\/\//i, "")
      .replace(/\/$/, "")
      .toLowerCase();
  return bare(label) === bare(url);
}

/**
 * A Markdown link: a label (with at most one level of nested brackets, as Markdown allows), then the
 * URL, bare or in angle brackets, with an optional title.
 */
const MARKDOWN_LINK =
  /\[((?:[^[\]\n]|\[[^[\]\n]*\])+)\]\(\s*(?:<(https?:\/\/[^\s>]+)>|(https?:\/\/[^\s)]+))(?:\s+"[^"\n]*")?\s*\)/gi;

/**
 * The Markdown with ` (host)` after every link whose label is not its URL, for platforms that render
 * Markdown links themselves (Discord). Code blocks and code spans are left alone: no link renders there.
 */
export function revealLinkHosts(markdown: string): string {
  let inFence = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inFence = !inFence;
        return line;
      }
      if (inFence) return line;
      return line
        .split(/(`[^`]+`)/g)
        .map((part, index) => (index % 2 === 1 ? part : revealInText(part)))
        .join("");
    })
    .join("\n");
}

function revealInText(text: string): string {
  return text.replace(
    MARKDOWN_LINK,
    (link: string, label: string, bracketed: string | undefined, bare: string | undefined) => {
      const host = hiddenLinkHost(label, bracketed ?? bare ?? "");
      return host ? `${link} (${host})` : link;
    },
  );
}
