import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { Attachment } from "../../conversations/index.js";
import {
  DownloadError,
  type FileRef,
  isBinaryTable,
  isTextLike,
  MAX_ATTACHMENT_BYTES,
  MAX_DOWNLOADS,
  readAttachments,
} from "../../delivery/index.js";
import type { Logger } from "../../log.js";

/** Why a file cannot go with the next request; each has a message in both languages. */
export type LocalFileRefusal = "missing" | "not_a_file" | "too_large" | "not_text" | "too_many" | "duplicate";

export type StageOutcome = { staged: FileRef } | { refused: LocalFileRefusal; name: string };

/**
 * Files the console user attaches with `/attach` or `--file`, under the same policy as Slack's: text-like
 * files and Parquet tables only, at most five, at most 1 MiB each, read through the same reader. Refused at once with the
 * reason (a typo in a path should not wait for the run to say so), and read again when the request is
 * sent, so an edit between `/attach` and the request is what the agents see.
 */
export class LocalFiles {
  private staged: FileRef[] = [];

  constructor(
    private readonly log: Logger,
    private readonly cwd: string = process.cwd(),
  ) {}

  get files(): readonly FileRef[] {
    return this.staged;
  }

  async stage(given: string): Promise<StageOutcome> {
    const full = resolvePath(given, this.cwd);
    const name = path.basename(full);
    if (this.staged.some((file) => file.id === full)) return { refused: "duplicate", name };
    if (this.staged.length >= MAX_DOWNLOADS) return { refused: "too_many", name };
    const info = await stat(full).catch(() => undefined);
    if (!info) return { refused: "missing", name: given };
    if (!info.isFile()) return { refused: "not_a_file", name };
    const file: FileRef = {
      id: full,
      name,
      mimeType: undefined,
      fileType: undefined,
      size: info.size,
      downloadUrl: full,
    };
    if (!isTextLike(file) && !isBinaryTable(file)) return { refused: "not_text", name };
    if (info.size > MAX_ATTACHMENT_BYTES) return { refused: "too_large", name };
    this.staged.push(file);
    return { staged: file };
  }

  clear(): number {
    const count = this.staged.length;
    this.staged = [];
    return count;
  }

  /** The staged files as attachments (read now), leaving none staged: they go with one request. */
  async take(): Promise<Attachment[] | undefined> {
    if (this.staged.length === 0) return undefined;
    const files = this.staged;
    this.staged = [];
    return readAttachments({ platformName: "console", log: this.log, fetch: openLocal }, files);
  }
}

async function openLocal(file: FileRef): Promise<Response> {
  if (!file.downloadUrl) throw new DownloadError("no_path");
  const info = await stat(file.downloadUrl).catch(() => undefined);
  if (!info?.isFile()) throw new DownloadError("missing");
  const body = Readable.toWeb(createReadStream(file.downloadUrl)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { "content-length": String(info.size) } });
}

/** `~/x` is the home folder's, as a shell would have it; anything else is relative to the console's folder. */
export function resolvePath(given: string, cwd: string): string {
  const unquoted = given.trim().replace(/^(["'])(.*)\1$/, "$2");
  const expanded =
    unquoted === "~" || unquoted.startsWith("~/") ? os.homedir() + unquoted.slice(1) : unquoted;
  return path.resolve(cwd, expanded);
}
