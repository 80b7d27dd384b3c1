/**
 * The one way text is shortened, for every layer (renderers, conversations, supervisor prompts,
 * adapters).
 *
 * `max` counts UTF-16 code units (JavaScript `length`), because that is what the platform limit
 * schemas check (zod's `.max()`), and a code-unit count is never below the code points or characters
 * Slack and Discord count, so a result within `max` is within the platform's limit too. Cuts fall on
 * code point boundaries: a surrogate pair (an emoji, a rare Han character) is kept whole or dropped
 * whole, never split into a lone surrogate. Grapheme clusters built from several code points (a ZWJ
 * family emoji, decomposed Hangul jamo) may still be cut between their code points.
 */

export const ELLIPSIS = "…";

/** Largest cut position <= `index` that keeps surrogate pairs whole. */
export function safeCut(text: string, index: number): number {
  let cut = Math.max(Math.min(index, text.length), 0);
  if (cut > 0 && cut < text.length) {
    const before = text.charCodeAt(cut - 1);
    if (before >= 0xd800 && before <= 0xdbff) cut -= 1;
  }
  return cut;
}

/**
 * `text` when it fits in `max`, else its longest code-point-whole prefix (trailing whitespace dropped)
 * followed by `ellipsis`, all within `max`. Pass `ellipsis: ""` for a plain cut, e.g. for prompts.
 * Only for labels, previews and bounded context whose full text lives elsewhere; primary content
 * shown to people is split instead, never clipped.
 */
export function clip(text: string, max: number, ellipsis: string = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (max <= ellipsis.length) return ellipsis.slice(0, safeCut(ellipsis, max));
  return `${text.slice(0, safeCut(text, max - ellipsis.length)).trimEnd()}${ellipsis}`;
}

/** Collapses whitespace runs (newlines included) so a preview stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * Every number written in a text, as digits (thousands separators dropped: `5,000` is 5000): what an
 * answer that claims to come from a text may use.
 */
export function numbersIn(text: string): Set<number> {
  return new Set(
    [...text.replace(/(\d),(?=\d{3})/g, "$1").matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0])),
  );
}
