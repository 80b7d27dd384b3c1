import { z } from "zod";

/**
 * Files people attach to a request (`event.files`, docs.slack.dev/reference/objects/file-object). Text
 * the agents can read (plain text, CSV, TSV, JSON, Markdown) is downloaded and passed along; everything
 * else reaches the service by name, type and size only. Limits keep one message from pulling megabytes
 * into every prompt: at most five downloads of at most 1 MiB each.
 */
export const MAX_ATTACHMENT_BYTES = 1024 * 1024;
export const MAX_DOWNLOADS = 5;

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

export interface SlackFileRef {
  id: string | undefined;
  name: string;
  mimeType: string | undefined;
  fileType: string | undefined;
  /** As the file object states it; the download still stops at the limit whatever this says. */
  size: number | undefined;
  downloadUrl: string | undefined;
}

export function slackFileRef(file: z.infer<typeof SlackFileSchema>): SlackFileRef {
  return {
    id: file.id,
    name: file.name || file.title || file.id || "file",
    mimeType: file.mimetype || undefined,
    fileType: file.filetype || undefined,
    size: file.size,
    downloadUrl: file.url_private_download ?? file.url_private,
  };
}

const TEXT_MIME_TYPES = new Set([
  "application/json",
  "application/csv",
  "application/x-ndjson",
  "application/markdown",
]);
/** Slack's own `filetype` names for the same formats. */
const TEXT_FILE_TYPES = new Set(["text", "csv", "tsv", "json", "markdown", "md"]);
const TEXT_EXTENSIONS = new Set(["txt", "text", "csv", "tsv", "json", "ndjson", "md", "markdown"]);

/**
 * Text-like by any of the three things Slack tells: its MIME type, its `filetype`, or the name's
 * extension (a CSV saved on Windows often comes as application/vnd.ms-excel).
 */
export function isTextLike(file: SlackFileRef): boolean {
  const mime = file.mimeType?.toLowerCase().split(";")[0]?.trim() ?? "";
  if (mime.startsWith("text/") || TEXT_MIME_TYPES.has(mime)) return true;
  if (file.fileType && TEXT_FILE_TYPES.has(file.fileType.toLowerCase())) return true;
  const extension = file.name.includes(".") ? file.name.split(".").pop()?.toLowerCase() : undefined;
  return extension !== undefined && TEXT_EXTENSIONS.has(extension);
}

export type SkipReason = "not_text" | "too_large" | "too_many" | "no_url";

export type AttachmentPlan =
  | { file: SlackFileRef; download: true }
  | { file: SlackFileRef; download: false; reason: SkipReason };

/** Which files to download, in the order they were attached. */
export function planAttachments(files: readonly SlackFileRef[]): AttachmentPlan[] {
  let downloads = 0;
  return files.map((file): AttachmentPlan => {
    if (!isTextLike(file)) return { file, download: false, reason: "not_text" };
    if (file.size !== undefined && file.size > MAX_ATTACHMENT_BYTES)
      return { file, download: false, reason: "too_large" };
    if (!file.downloadUrl) return { file, download: false, reason: "no_url" };
    if (downloads >= MAX_DOWNLOADS) return { file, download: false, reason: "too_many" };
    downloads += 1;
    return { file, download: true };
  });
}

/**
 * Whether the bot token may be sent to `url`: Slack's own hosts over HTTPS, or the origin SLACK_API_URL
 * points at (a gateway, the test emulator). Anything else would hand the token to a stranger.
 */
export function mayCarryToken(url: string, apiUrl: string | undefined): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (apiUrl && target.origin === new URL(apiUrl).origin) return true;
  return (
    target.protocol === "https:" &&
    (target.hostname === "slack.com" || target.hostname.endsWith(".slack.com"))
  );
}
