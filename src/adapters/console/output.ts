import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RenderedFile } from "../../renderers/index.js";
import { clip } from "../../vocabulary/index.js";

/** Where the console puts graph pictures, reports and JSON: OCTO_DATA_DIR/out/<thread folder>/. */
export async function writeFiles(
  dataDir: string,
  threadKey: string,
  runId: string,
  files: readonly RenderedFile[],
) {
  const folder = path.join(dataDir, "out", threadFolderName(threadKey));
  await mkdir(folder, { recursive: true });
  const prefix = safeName(runId).slice(-12);
  const written: string[] = [];
  for (const file of files) {
    const target = path.join(folder, `${prefix}-${safeName(file.filename)}`);
    await writeFile(target, file.data);
    written.push(target);
  }
  return written;
}

/** Characters of the thread key kept readable in its folder name. */
const READABLE_CHARS = 60;

/**
 * One folder per thread: a readable part of its key, then a hash of the whole key. The readable part
 * alone would let two threads share a folder (`:` and `_` both become `_`, long keys are cut, case folds
 * on some file systems); the hash keeps them apart, and a key of dots cannot name `..`.
 */
export function threadFolderName(threadKey: string): string {
  const readable = clip(threadKey.replace(/[^\p{L}\p{N}_-]+/gu, "_"), READABLE_CHARS, "") || "thread";
  const hash = createHash("sha256").update(threadKey).digest("hex").slice(0, 16);
  return `${readable}-${hash}`;
}

function safeName(text: string): string {
  return clip(text.replace(/[^\p{L}\p{N}._-]+/gu, "_"), 120, "") || "file";
}
