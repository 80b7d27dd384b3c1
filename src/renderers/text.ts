/**
 * Length-safe text helpers shared by every platform. Lengths are JavaScript string lengths (UTF-16 code
 * units): never fewer than the code points or characters a platform counts, so a text that fits here
 * fits there too. Shortening with "…" is the vocabulary's `clip` (src/vocabulary/text.ts).
 */
import { oneLine } from "../vocabulary/index.js";

/**
 * Splits `text` into chunks whose escaped form is at most `max` long, breaking at paragraph, line or
 * word boundaries where it can and inside a word only when a single word is longer than `max`.
 * `escape` must act per character or per token (as the platform escapers do), so escaping each piece
 * equals escaping the whole; the chunks returned are already escaped.
 */
export function splitEscaped(
  text: string,
  max: number,
  escapeFn: (raw: string) => string = (s) => s,
): string[] {
  if (max < 8) throw new RangeError(`split size ${max} is too small`);
  const whole = escapeFn(text);
  if (whole.length <= max) return whole.length === 0 ? [] : [whole];

  const chunks: string[] = [];
  let current = "";
  const flush = () => {
    if (current.length > 0) chunks.push(current);
    current = "";
  };
  // Tokens keep their trailing whitespace so rejoining the chunks gives back the text exactly.
  for (const token of text.match(/\S+\s*|\s+/g) ?? []) {
    const escaped = escapeFn(token);
    if (current.length + escaped.length <= max) {
      current += escaped;
      continue;
    }
    // Prefer ending the chunk at its last paragraph or line break when that keeps most of it.
    const paragraph = current.lastIndexOf("\n\n");
    const line = current.lastIndexOf("\n");
    const breakAt = paragraph > max * 0.5 ? paragraph + 2 : line > max * 0.7 ? line + 1 : -1;
    if (breakAt > 0 && breakAt < current.length) {
      const rest = current.slice(breakAt);
      current = current.slice(0, breakAt);
      flush();
      current = rest;
    } else {
      flush();
    }
    if (current.length + escaped.length <= max) {
      current += escaped;
      continue;
    }
    flush();
    for (const piece of hardSplit(token, max, escapeFn)) {
      if (current.length + piece.length > max) flush();
      current += piece;
    }
  }
  flush();
  return chunks;
}

/** Splits one over-long token by code points, escaping each piece on its own. */
function hardSplit(token: string, max: number, escapeFn: (raw: string) => string): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const char of token) {
    const escaped = escapeFn(char);
    if (current.length + escaped.length > max) {
      pieces.push(current);
      current = "";
    }
    current += escaped;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

/** `12.3` style seconds with at most one decimal, trailing zero dropped. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "0";
  const rounded = Math.round(seconds * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** Human size such as "10 MiB", for notes about file limits. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatSeconds(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${formatSeconds(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

/** `2025-11-03 09:30 UTC`: unambiguous and locale-neutral, for places without platform date markup. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Markdown reduced to its words on one line, for notification previews where markup shows raw. */
export function plainPreview(markdown: string): string {
  return oneLine(
    markdown
      .replace(/```[\s\S]*?```/g, " ")
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
      .replace(/^\s{0,3}(#{1,6}|[-*+]|>)\s+/gm, "")
      .replace(/\*\*|__|~~|`/g, ""),
  );
}
