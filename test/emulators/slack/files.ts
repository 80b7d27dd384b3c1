import type { EmulatedFile } from "./state.js";

/**
 * Files as Slack describes and serves them (docs.slack.dev/reference/objects/file-object): a file object
 * with `mimetype`, `filetype`, `size` and `url_private_download`, and that URL answering only requests
 * that carry a token in `Authorization: Bearer`. Without one Slack does not refuse outright: it redirects
 * to a sign-in page that answers 200 with HTML, which apps then mistake for the file (a well-known trap,
 * slackapi/bolt-js#2585), so the emulator does the same.
 */
const TYPES_BY_EXTENSION: Record<string, { mimetype: string; filetype: string }> = {
  png: { mimetype: "image/png", filetype: "png" },
  pdf: { mimetype: "application/pdf", filetype: "pdf" },
  md: { mimetype: "text/markdown", filetype: "markdown" },
  json: { mimetype: "application/json", filetype: "json" },
  txt: { mimetype: "text/plain", filetype: "text" },
  csv: { mimetype: "text/csv", filetype: "csv" },
  tsv: { mimetype: "text/tab-separated-values", filetype: "tsv" },
  svg: { mimetype: "image/svg+xml", filetype: "svg" },
  zip: { mimetype: "application/zip", filetype: "zip" },
};

function extensionOf(filename: string): string {
  return filename.includes(".") ? (filename.split(".").pop()?.toLowerCase() ?? "") : "";
}

export function mimeTypeOf(filename: string): string {
  return TYPES_BY_EXTENSION[extensionOf(filename)]?.mimetype ?? "application/octet-stream";
}

export function fileTypeOf(filename: string): string {
  return TYPES_BY_EXTENSION[extensionOf(filename)]?.filetype ?? "binary";
}

const DOWNLOAD_PATH = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/download\/[^/]+$/;

export function downloadPath(teamId: string, file: EmulatedFile): string {
  return `/files-pri/${teamId}-${file.id}/download/${encodeURIComponent(file.filename)}`;
}

/** The file id a `url_private_download` path names, or undefined for any other path. */
export function fileIdOfDownloadPath(pathname: string): string | undefined {
  return DOWNLOAD_PATH.exec(pathname)?.[1];
}

export const SIGN_IN_PATH = "/signin";

export const SIGN_IN_PAGE =
  '<!DOCTYPE html><html lang="en-US"><head><title>Sign in | Slack</title></head><body>Sign in to continue</body></html>';

/** The file object Slack puts in events (`event.files`) and API answers. */
export function fileObject(
  file: EmulatedFile,
  where: { origin: string; teamId: string; botUserId: string },
): Record<string, unknown> {
  const url = `${where.origin}${downloadPath(where.teamId, file)}`;
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.filename,
    title: file.title ?? file.filename,
    mimetype: file.mimetype ?? mimeTypeOf(file.filename),
    filetype: fileTypeOf(file.filename),
    user: file.user ?? where.botUserId,
    mode: "hosted",
    editable: false,
    is_external: false,
    size: file.declaredSize ?? file.data?.length ?? file.length,
    url_private: url,
    url_private_download: url,
    permalink: `${where.origin}/files/${file.user ?? where.botUserId}/${file.id}/${encodeURIComponent(file.filename)}`,
  };
}
