import type { Attachment } from "../../conversations/types.js";
import type { Logger } from "../../log.js";
import { MAX_ATTACHMENT_BYTES, mayCarryToken, planAttachments, type SlackFileRef } from "./attachments.js";

/**
 * Downloads attached files with the bot token (`Authorization: Bearer`, scope files:read) from their
 * `url_private_download`. That URL is not a Web API method, so it goes around the Web API client; it is
 * Slack's (or, with SLACK_API_URL, the gateway's) own URL from a verified event. A failed download is
 * logged and the request goes on without that file's text.
 */
export interface SlackFilesOptions {
  botToken: string;
  apiUrl: string | undefined;
  log: Logger;
  /** Per file (default 15 s). */
  timeoutMs?: number;
}

class DownloadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "DownloadError";
  }
}

export class SlackFiles {
  constructor(private readonly options: SlackFilesOptions) {}

  /** Every file as an attachment, with `text` for the text-like ones that could be read. */
  async read(files: readonly SlackFileRef[]): Promise<Attachment[]> {
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
          this.options.log.info(
            { file: file.id, name: file.name, size: file.size, reason: plan.reason },
            "Slack file passed on without its content",
          );
          return described;
        }
        try {
          const bytes = await this.download(file);
          // TextDecoder drops a byte order mark and replaces invalid bytes rather than failing.
          const text = new TextDecoder("utf-8").decode(bytes);
          return { ...described, size: bytes.length, text };
        } catch (error) {
          const reason = error instanceof DownloadError ? error.reason : (error as Error).name;
          this.options.log.warn(
            { file: file.id, name: file.name, reason },
            "could not download a Slack file; going on without its text",
          );
          return described;
        }
      }),
    );
  }

  private async download(file: SlackFileRef): Promise<Uint8Array> {
    const url = file.downloadUrl as string;
    if (!mayCarryToken(url, this.options.apiUrl)) throw new DownloadError("not_a_slack_url");
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.options.botToken}` },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new DownloadError(`http_${response.status}`);
    }
    // Without files:read (or with a bad token) Slack answers 200 with its sign-in page, not an error.
    const type = response.headers.get("content-type") ?? "";
    if (type.startsWith("text/html") && !file.mimeType?.startsWith("text/html")) {
      await response.body?.cancel();
      throw new DownloadError("sign_in_page (missing files:read?)");
    }
    return readAtMost(response, MAX_ATTACHMENT_BYTES);
  }
}

/** The body, refusing (not cutting) one longer than `max` bytes whatever the file object said. */
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
