import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RenderedFile } from "../../renderers/index.js";
import { clip } from "../../vocabulary/index.js";

/** Where the console puts graph pictures, reports and JSON: OCTO_DATA_DIR/out/<thread>/. */
export async function writeFiles(
  dataDir: string,
  threadKey: string,
  runId: string,
  files: readonly RenderedFile[],
) {
  const folder = path.join(dataDir, "out", safeName(threadKey));
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

function safeName(text: string): string {
  return clip(text.replace(/[^\p{L}\p{N}._-]+/gu, "_"), 120, "") || "file";
}
