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

/** A GET with the platform's bearer token, given up after `timeoutMs`; any non-2xx is `http_<status>`. */
export function fetchWithToken(url: string, token: string, timeoutMs: number): Promise<Response> {
  return get(url, { authorization: `Bearer ${token}` }, timeoutMs);
}

/**
 * A GET with no credentials at all, for platforms whose file URLs are signed themselves (Discord's
 * CDN): the platform's token is never sent, whatever the URL.
 */
export function fetchWithoutToken(url: string, timeoutMs: number): Promise<Response> {
  return get(url, {}, timeoutMs);
}

async function get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
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
