import type { Attachment } from "../conversations/types.js";
import type { Logger } from "../log.js";
import { type FileRef, isBinaryTable, MAX_ATTACHMENT_BYTES, planAttachments } from "./attachments.js";

/**
 * Reads attached files under the attachment policy. The platform only fetches (its URL, its auth); the
 * body is read here, refused rather than cut past the limit. A failed download is logged and the request
 * goes on without that file's text.
 */
export class DownloadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "DownloadError";
  }
}

export interface AttachmentReader {
  /** The platform's name in log lines ("Slack"). */
  platformName: string;
  log: Logger;
  /** Fetches one file; throws a DownloadError naming why not (not the platform's URL, an HTTP status ...). */
  fetch(file: FileRef): Promise<Response>;
}

/**
 * Whether a platform's token may be sent to `url`: HTTPS on the platform's `domain` or a subdomain, or
 * the origin its configured API URL points at (a gateway, the test emulator). Anything else would hand
 * the token to a stranger.
 */
export function mayCarryToken(url: string, domain: string, apiUrl: string | undefined): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (apiUrl && target.origin === new URL(apiUrl).origin) return true;
  return (
    target.protocol === "https:" && (target.hostname === domain || target.hostname.endsWith(`.${domain}`))
  );
}

/** Redirects followed for one file before giving up; a file host needs one or two. */
const MAX_REDIRECTS = 5;

/**
 * A GET with the platform's bearer token, given up after `timeoutMs`; any non-2xx is `http_<status>`.
 * Redirects are followed here rather than by fetch, so the token goes only to URLs `mayCarry` accepts,
 * checked at every hop: once a redirect leaves the platform's hosts the token is dropped for good (the
 * place it points to may be anyone's), an HTTPS file is never fetched on over plain HTTP, and a chain
 * longer than MAX_REDIRECTS is refused.
 */
export async function fetchWithToken(
  url: string,
  credentials: { token: string; mayCarry: (url: string) => boolean },
  timeoutMs: number,
): Promise<Response> {
  const signal = AbortSignal.timeout(timeoutMs);
  let target = url;
  let carry = credentials.mayCarry(url);
  for (let hop = 0; ; hop += 1) {
    const headers: Record<string, string> = carry ? { authorization: `Bearer ${credentials.token}` } : {};
    const response = await fetch(target, { headers, signal, redirect: "manual" });
    const location = response.headers.get("location");
    if (!isRedirect(response.status) || location === null) return okOrThrow(response);
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new DownloadError("too_many_redirects");
    target = nextHop(target, location);
    carry = carry && credentials.mayCarry(target);
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Where a redirect points, refused when it is not HTTP(S) or would drop HTTPS for plain HTTP. */
function nextHop(from: string, location: string): string {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new DownloadError("bad_redirect");
  }
  if (next.protocol !== "https:" && next.protocol !== "http:") throw new DownloadError("bad_redirect");
  if (new URL(from).protocol === "https:" && next.protocol === "http:") {
    throw new DownloadError("insecure_redirect");
  }
  return next.href;
}

/**
 * A GET with no credentials at all, for platforms whose file URLs are signed themselves (Discord's
 * CDN): the platform's token is never sent, whatever the URL.
 */
export function fetchWithoutToken(url: string, timeoutMs: number): Promise<Response> {
  return get(url, {}, timeoutMs);
}

async function get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  return okOrThrow(await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) }));
}

async function okOrThrow(response: Response): Promise<Response> {
  if (!response.ok) {
    await response.body?.cancel();
    throw new DownloadError(`http_${response.status}`);
  }
  return response;
}

/** Every file as an attachment, with `text` for the text-like ones that could be read. */
export async function readAttachments(
  reader: AttachmentReader,
  files: readonly FileRef[],
): Promise<Attachment[]> {
  const plans = planAttachments(files);
  return Promise.all(
    plans.map(async (plan): Promise<Attachment> => {
      const { file } = plan;
      const described: Attachment = {
        name: file.name,
        ...(file.mimeType ? { mimeType: file.mimeType } : {}),
        ...(file.size !== undefined ? { size: file.size } : {}),
      };
      if (!plan.download) {
        reader.log.info(
          { file: file.id, name: file.name, size: file.size, reason: plan.reason },
          `${reader.platformName} file passed on without its content`,
        );
        return described;
      }
      try {
        const bytes = await readAtMost(await reader.fetch(file), MAX_ATTACHMENT_BYTES);
        if (isBinaryTable(file))
          return { ...described, size: bytes.length, data: Buffer.from(bytes).toString("base64") };
        // TextDecoder drops a byte order mark and replaces invalid bytes rather than failing.
        const text = new TextDecoder("utf-8").decode(bytes);
        return { ...described, size: bytes.length, text };
      } catch (error) {
        const reason = error instanceof DownloadError ? error.reason : (error as Error).name;
        reader.log.warn(
          { file: file.id, name: file.name, reason },
          `could not download a ${reader.platformName} file; going on without its text`,
        );
        return described;
      }
    }),
  );
}

/** The body, refusing (not cutting) one longer than `max` bytes whatever the file's description said. */
async function readAtMost(response: Response, max: number): Promise<Uint8Array> {
  const length = Number(response.headers.get("content-length"));
  if (Number.isFinite(length) && length > max) {
    await response.body?.cancel();
    throw new DownloadError("too_large");
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new DownloadError("too_large");
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
