/**
 * Files people attach to a request. Text the agents can read (plain text, CSV, TSV, JSON, Markdown) and
 * Parquet tables (as bytes) are downloaded and passed along; everything else reaches the service by
 * name, type and size only. Limits
 * keep one message from pulling megabytes into every prompt: at most five downloads of at most 1 MiB each.
 */
export const MAX_ATTACHMENT_BYTES = 1024 * 1024;
export const MAX_DOWNLOADS = 5;

/** An attached file as the platform describes it (the adapter's parsing fills it in). */
export interface FileRef {
  id: string | undefined;
  name: string;
  mimeType: string | undefined;
  /** The platform's own type name, when it has one (Slack's `filetype`). */
  fileType: string | undefined;
  /** As the platform states it; the download still stops at the limit whatever this says. */
  size: number | undefined;
  downloadUrl: string | undefined;
}

const TEXT_MIME_TYPES = new Set([
  "application/json",
  "application/csv",
  "application/x-ndjson",
  "application/markdown",
]);
/** Platform type names for the same formats (Slack's `filetype`). */
const TEXT_FILE_TYPES = new Set(["text", "csv", "tsv", "json", "markdown", "md"]);
const TEXT_EXTENSIONS = new Set(["txt", "text", "csv", "tsv", "json", "ndjson", "md", "markdown"]);

/**
 * Text-like by any of the three things a platform tells: the MIME type, its own type name, or the
 * name's extension (a CSV saved on Windows often comes as application/vnd.ms-excel).
 */
export function isTextLike(file: FileRef): boolean {
  const mime = file.mimeType?.toLowerCase().split(";")[0]?.trim() ?? "";
  if (mime.startsWith("text/") || TEXT_MIME_TYPES.has(mime)) return true;
  if (file.fileType && TEXT_FILE_TYPES.has(file.fileType.toLowerCase())) return true;
  const extension = file.name.includes(".") ? file.name.split(".").pop()?.toLowerCase() : undefined;
  return extension !== undefined && TEXT_EXTENSIONS.has(extension);
}

const BINARY_TABLE_MIME_TYPES = new Set(["application/vnd.apache.parquet", "application/x-parquet"]);

/** A binary table the data agent reads from its bytes (Parquet), by MIME type, type name or extension. */
export function isBinaryTable(file: FileRef): boolean {
  const mime = file.mimeType?.toLowerCase().split(";")[0]?.trim() ?? "";
  if (BINARY_TABLE_MIME_TYPES.has(mime)) return true;
  if (file.fileType?.toLowerCase() === "parquet") return true;
  return /\.parquet$/i.test(file.name);
}

export type SkipReason = "not_text" | "too_large" | "too_many" | "no_url";

export type AttachmentPlan =
  | { file: FileRef; download: true }
  | { file: FileRef; download: false; reason: SkipReason };

/** Which files to download, in the order they were attached. */
export function planAttachments(files: readonly FileRef[]): AttachmentPlan[] {
  let downloads = 0;
  return files.map((file): AttachmentPlan => {
    if (!isTextLike(file) && !isBinaryTable(file)) return { file, download: false, reason: "not_text" };
    if (file.size !== undefined && file.size > MAX_ATTACHMENT_BYTES)
      return { file, download: false, reason: "too_large" };
    if (!file.downloadUrl) return { file, download: false, reason: "no_url" };
    if (downloads >= MAX_DOWNLOADS) return { file, download: false, reason: "too_many" };
    downloads += 1;
    return { file, download: true };
  });
}
