import { WebFetchError } from "./errors.js";

/** What a page's media type makes of it: HTML gets Readability, the rest is text as it is. */
export type PageKind = "html" | "markdown" | "text" | "json" | "xml";

const KINDS: Record<string, PageKind> = {
  "text/html": "html",
  "application/xhtml+xml": "html",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/plain": "text",
  "application/json": "json",
  "application/ld+json": "json",
  "text/xml": "xml",
  "application/xml": "xml",
  "application/rss+xml": "xml",
  "application/atom+xml": "xml",
};

export const ACCEPT =
  "text/html,application/xhtml+xml;q=0.9,text/markdown;q=0.9,text/plain;q=0.8,application/json;q=0.7,application/xml;q=0.6";

export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** The kind of page a Content-Type announces, or undefined for anything not on the allow list. */
export function pageKind(contentType: string | null): PageKind | undefined {
  return KINDS[mediaType(contentType)];
}

/**
 * The body, read as a stream and abandoned as soon as it passes `maxBytes` (a server's Content-Length
 * is checked first, but a body without one, or with a false one, is counted as it arrives). With
 * `truncate` the first `maxBytes` are kept instead (robots.txt: parse what fits).
 */
export async function readLimited(
  response: Response,
  url: string,
  maxBytes: number,
  options: { truncate?: boolean } = {},
): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (!options.truncate && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(url, maxBytes);
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      await reader.cancel().catch(() => {});
      if (!options.truncate) throw tooLarge(url, maxBytes);
      chunks.push(value.subarray(0, maxBytes - total));
      total = maxBytes;
      break;
    }
    total += value.byteLength;
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(url: string, maxBytes: number): WebFetchError {
  return new WebFetchError("too_large", url, `the page is larger than ${maxBytes} bytes`, {
    params: { limit: maxBytes },
  });
}

const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i;

/**
 * Text in the charset the page declares: the Content-Type's, else (HTML) a `<meta>` in its first bytes,
 * else a byte-order mark, else UTF-8. Korean sites still serve EUC-KR; Node's TextDecoder reads it.
 */
export function decodeText(bytes: Uint8Array, contentType: string | null, kind: PageKind): string {
  const declared = /charset\s*=\s*["']?([\w:.-]+)/i.exec(contentType ?? "")?.[1];
  const sniffed =
    declared ??
    (kind === "html"
      ? META_CHARSET.exec(new TextDecoder("latin1").decode(bytes.subarray(0, 2048)))?.[1]
      : undefined) ??
    byteOrderMark(bytes);
  try {
    return new TextDecoder(sniffed ?? "utf-8").decode(bytes);
  } catch {
    // An unknown label: UTF-8 reads most of what a mislabelled page holds.
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function byteOrderMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  return undefined;
}
