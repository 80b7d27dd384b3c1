import { clip, oneLine } from "./text.js";

/**
 * A Markdown table from rows of cells, each cell on one line, clipped, with `|` escaped. `monospace`
 * pads the columns for a fixed-width font (East Asian wide characters take two cells), so the table
 * also reads as a grid where Markdown is not drawn: a terminal, a code block.
 */

/** Cells a character takes in a monospace font: East Asian wide and full-width forms take two. */
export function monospaceWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

export function markdownCell(value: unknown, max: number): string {
  if (value === null || value === undefined) return "";
  return clip(oneLine(String(value)), max)
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|");
}

export function markdownTable(
  header: readonly unknown[],
  rows: readonly (readonly unknown[])[],
  options: { cellChars?: number; monospace?: boolean } = {},
): string[] {
  const max = options.cellChars ?? 40;
  const head = header.map((cell) => markdownCell(cell, max));
  const body = rows.map((row) => head.map((_, index) => markdownCell(row[index], max)));
  if (!options.monospace) {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(head), `|${head.map(() => "---").join("|")}|`, ...body.map(line)];
  }
  const widths = head.map((_, index) =>
    Math.max(3, ...[head, ...body].map((cells) => monospaceWidth(cells[index] ?? ""))),
  );
  const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - monospaceWidth(text)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, index) => pad(cell, widths[index] ?? 3)).join(" | ")} |`;
  return [line(head), `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`, ...body.map(line)];
}
