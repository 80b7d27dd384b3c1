import { z } from "zod";
import {
  type AttachmentReader,
  DownloadError,
  type FileRef,
  fetchWithToken,
  mayCarryToken as mayCarryTokenTo,
} from "../../delivery/index.js";
import type { Logger } from "../../log.js";

/**
 * Slack's side of attachments: the file objects in `event.files`
 * (docs.slack.dev/reference/objects/file-object) and their download with the bot token
 * (`Authorization: Bearer`, scope files:read) from `url_private_download`. That URL is not a Web API
 * method, so it goes around the Web API client; it is Slack's (or, with SLACK_API_URL, the gateway's)
 * own URL from a verified event. The policy and the bounded read are the delivery layer's.
 */
export const SlackFileSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  mimetype: z.string().optional(),
  filetype: z.string().optional(),
  size: z.number().optional(),
  url_private_download: z.string().optional(),
  url_private: z.string().optional(),
});

export function slackFileRef(file: z.infer<typeof SlackFileSchema>): FileRef {
  return {
    id: file.id,
    name: file.name || file.title || file.id || "file",
    mimeType: file.mimetype || undefined,
    fileType: file.filetype || undefined,
    size: file.size,
    downloadUrl: file.url_private_download ?? file.url_private,
  };
}

/** Slack's own hosts over HTTPS, or SLACK_API_URL's origin: nowhere else gets the bot token. */
export function mayCarryToken(url: string, apiUrl: string | undefined): boolean {
  return mayCarryTokenTo(url, "slack.com", apiUrl);
}

export interface SlackFilesOptions {
  botToken: string;
  apiUrl: string | undefined;
  log: Logger;
  /** Per file (default 15 s). */
  timeoutMs?: number;
}

export function slackFileReader(options: SlackFilesOptions): AttachmentReader {
  return {
    platformName: "Slack",
    log: options.log,
    fetch: async (file) => {
      const url = file.downloadUrl as string;
      if (!mayCarryToken(url, options.apiUrl)) throw new DownloadError("not_a_slack_url");
      const response = await fetchWithToken(
        url,
        { token: options.botToken, mayCarry: (hop) => mayCarryToken(hop, options.apiUrl) },
        options.timeoutMs ?? 15_000,
      );
      // Without files:read (or with a bad token) Slack answers 200 with its sign-in page, not an error.
      const type = response.headers.get("content-type") ?? "";
      if (type.startsWith("text/html") && !file.mimeType?.startsWith("text/html")) {
        await response.body?.cancel();
        throw new DownloadError("sign_in_page (missing files:read?)");
      }
      return response;
    },
  };
}
