import type { KbChunk } from "../../store/index.js";

export type DraftChunk = Omit<KbChunk, "source">;

export interface ChunkOptions {
  /** Characters per chunk at most (headings included); small enough that a few fit a 4k-token prompt. */
  maxChars: number;
  /** Characters of the previous chunk repeated at the start of the next one within a section. */
  overlapChars: number;
}

export const CHUNK_DEFAULTS: ChunkOptions = { maxChars: 1_000, overlapChars: 150 };

/** A titled part of a document: a Markdown section, a PDF page. */
export interface Section {
  heading: string;
  text: string;
}

const FENCE = /^\s*(```|~~~)/;
const ATX = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/**
 * Markdown as sections, one per heading, each named by its heading path ("Vacation › Carry-over") so a
 * chunk says where it stands. Headings inside code fences are code. Text before the first heading is a
 * section with no heading.
 */
export function markdownSections(markdown: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let lines: string[] = [];
  let fenced = false;
  const flush = () => {
    const text = lines.join("\n").trim();
    if (text) sections.push({ heading: path.filter(Boolean).join(" › "), text });
    lines = [];
  };
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    if (FENCE.test(line)) fenced = !fenced;
    const heading = fenced ? null : ATX.exec(line);
    if (!heading) {
      lines.push(line);
      continue;
    }
    flush();
    const level = (heading[1] ?? "#").length;
    path.length = level - 1;
    path[level - 1] = (heading[2] ?? "").replace(/[*_`]/g, "").trim();
  }
  flush();
  return sections;
}

/**
 * Chunks of sections: paragraphs packed up to `maxChars`, never across a section, each chunk starting
 * with its section's heading so its words find it. When a section needs several chunks, each repeats the
 * end of the one before (`overlapChars`), so a sentence cut at a boundary is still whole in one of them.
 * A paragraph longer than a chunk is cut at sentence ends, else at spaces.
 */
export function chunkSections(
  sections: readonly Section[],
  options: ChunkOptions = CHUNK_DEFAULTS,
): DraftChunk[] {
  const chunks: DraftChunk[] = [];
  for (const section of sections) {
    const title = section.heading ? `${section.heading}\n\n` : "";
    const room = Math.max(200, options.maxChars - title.length);
    const overlap = Math.min(options.overlapChars, Math.floor(room / 3));
    const pieces = paragraphs(section.text).flatMap((paragraph) => cut(paragraph, room, overlap));
    let current = "";
    const emit = () => {
      if (current.trim())
        chunks.push({ ordinal: chunks.length, heading: section.heading, body: `${title}${current}` });
    };
    for (const piece of pieces) {
      if (current && current.length + 2 + piece.length > room) {
        emit();
        const carried = tail(current, overlap);
        current = carried && carried.length + 2 + piece.length <= room ? `${carried}\n\n${piece}` : piece;
      } else current = current ? `${current}\n\n${piece}` : piece;
    }
    emit();
  }
  return chunks;
}

/** Blank-line separated blocks; a fenced code block is one block whatever its blank lines. */
function paragraphs(text: string): string[] {
  const blocks: string[] = [];
  let block: string[] = [];
  let fenced = false;
  for (const line of text.split("\n")) {
    if (FENCE.test(line)) fenced = !fenced;
    if (!fenced && line.trim() === "") {
      if (block.length > 0) blocks.push(block.join("\n").trim());
      block = [];
    } else block.push(line);
  }
  if (block.length > 0) blocks.push(block.join("\n").trim());
  return blocks.filter(Boolean);
}

/** A paragraph in pieces of at most `max` characters, each after the first repeating `overlap` of the last. */
function cut(paragraph: string, max: number, overlap: number): string[] {
  if (paragraph.length <= max) return [paragraph];
  const pieces: string[] = [];
  let start = 0;
  while (start < paragraph.length) {
    let end = Math.min(paragraph.length, start + max);
    if (end < paragraph.length) end = boundary(paragraph, start + Math.floor(max / 2), end);
    pieces.push(paragraph.slice(start, end).trim());
    if (end >= paragraph.length) break;
    // The next piece starts `overlap` back, at a space so no word is split.
    const back = paragraph.lastIndexOf(" ", end - overlap);
    start = back > start ? back + 1 : end;
  }
  return pieces.filter(Boolean);
}

/** The last sentence end (or else space) in [from, to), else `to`. */
function boundary(text: string, from: number, to: number): number {
  const window = text.slice(from, to);
  const sentence = Math.max(
    ...[". ", "? ", "! ", "。", "다. ", "요. ", "\n"].map((mark) => {
      const at = window.lastIndexOf(mark);
      return at < 0 ? -1 : at + mark.length;
    }),
  );
  if (sentence > 0) return from + sentence;
  const space = window.lastIndexOf(" ");
  return space > 0 ? from + space + 1 : to;
}

/** The end of a chunk to repeat: its last paragraph if short enough, else its last words up to `max`. */
function tail(text: string, max: number): string {
  if (max <= 0) return "";
  const last = text.slice(text.lastIndexOf("\n\n") + 2);
  if (last.length <= max) return last === text ? "" : last;
  const from = text.indexOf(" ", text.length - max);
  return from < 0 ? "" : text.slice(from + 1);
}
