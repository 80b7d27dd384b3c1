import { t } from "../../i18n/index.js";
import type { Locale } from "../../vocabulary/index.js";
import { formatBytes } from "../text.js";
import type { RenderedFile } from "../types.js";

/**
 * Splits a text file that is larger than a platform's upload limit into numbered parts at line
 * boundaries (inside a line only when one line alone is too big), never inside a UTF-8 sequence.
 * Concatenating the parts in order gives back the file byte for byte.
 */

function partName(filename: string, index: number, count: number): string {
  const dot = filename.lastIndexOf(".");
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  const extension = dot > 0 ? filename.slice(dot) : "";
  return `${stem}.part${index}of${count}${extension}`;
}

/** Largest cut <= `end` that does not fall on a UTF-8 continuation byte. */
function utf8Boundary(data: Buffer, start: number, end: number): number {
  let cut = end;
  while (cut > start && ((data[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return cut;
}

function cuts(data: Buffer, maxBytes: number): number[] {
  const ends: number[] = [];
  let start = 0;
  while (data.length - start > maxBytes) {
    const limit = start + maxBytes;
    const newline = data.lastIndexOf(0x0a, limit - 1);
    const end = newline >= start ? newline + 1 : utf8Boundary(data, start, limit);
    ends.push(end);
    start = end;
  }
  ends.push(data.length);
  return ends;
}

export function splitTextFile(file: RenderedFile, maxBytes: number): RenderedFile[] {
  if (file.data.length <= maxBytes) return [file];
  if (maxBytes < 16) throw new RangeError(`file size limit ${maxBytes} is too small to split into`);
  const ends = cuts(file.data, maxBytes);
  let start = 0;
  return ends.map((end, index) => {
    const part: RenderedFile = {
      ...file,
      filename: partName(file.filename, index + 1, ends.length),
      data: file.data.subarray(start, end),
      title: `${file.title ?? file.filename} (${index + 1}/${ends.length})`,
    };
    start = end;
    return part;
  });
}

/** Files made to fit a platform's upload limit, with the sentences a reply says about what changed. */
export interface FileBundle {
  files: RenderedFile[];
  /** User-facing sentences about files that were split, shrunk or left out. */
  notes: string[];
}

/** A text file, split into parts when it is over the limit (with a note saying so). */
export function textFile(file: RenderedFile, maxBytes: number, locale: Locale): FileBundle {
  const parts = splitTextFile(file, maxBytes);
  const notes =
    parts.length > 1
      ? [
          t(locale, "result.file_split", {
            file: file.filename,
            limit: formatBytes(maxBytes),
            count: parts.length,
          }),
        ]
      : [];
  return { files: parts, notes };
}
