import { t } from "../i18n/index.js";
import type { StepResult } from "../supervisor/types.js";
import { clip, type Locale, oneLine } from "../vocabulary/index.js";

/**
 * The first rows of the tables steps made, as a small Markdown table under the step list: a chat reply
 * shows each step's result on one line, where a query's rows would be unreadable, and the whole table
 * is attached as CSV anyway. Columns are padded for a monospace font (Hangul counts two cells), so the
 * preview reads as a grid in a terminal or a code block.
 */

export interface TablePreview {
  step: number;
  /** "#2 Sales by city: 5 of 12 row(s)". */
  caption: string;
  /** The Markdown table, one string per line. */
  lines: string[];
}

export interface PreviewOptions {
  rows?: number;
  columns?: number;
  cellChars?: number;
  tables?: number;
}

/** Cells a character takes in a monospace font: East Asian wide and full-width forms take two. */
function cells(text: string): number {
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

function cellText(value: unknown, max: number): string {
  if (value === null || value === undefined) return "";
  return clip(oneLine(String(value)), max)
    .replace(/\|/g, "\\|")
    .replace(/`/g, "'");
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - cells(text)));
}

export function tablePreviews(
  results: readonly StepResult[],
  locale: Locale,
  options: PreviewOptions = {},
): TablePreview[] {
  const maxRows = options.rows ?? 5;
  const maxColumns = options.columns ?? 6;
  const cellChars = options.cellChars ?? 20;
  const previews: TablePreview[] = [];
  for (const step of [...results].sort((a, b) => a.step_id - b.step_id)) {
    for (const artifact of step.artifacts ?? []) {
      if (artifact.kind !== "table" || artifact.columns.length === 0) continue;
      if (previews.length >= (options.tables ?? 3)) return previews;
      const columns = artifact.columns.slice(0, maxColumns);
      const more = artifact.columns.length > columns.length;
      const header = [...columns.map((column) => cellText(column, cellChars)), ...(more ? ["…"] : [])];
      const body = artifact.rows
        .slice(0, maxRows)
        .map((row) => [
          ...columns.map((_, index) => cellText(row[index], cellChars)),
          ...(more ? ["…"] : []),
        ]);
      const widths = header.map((_, index) =>
        Math.max(3, ...[header, ...body].map((row) => cells(row[index] ?? ""))),
      );
      const line = (row: string[]) =>
        `| ${row.map((cell, index) => pad(cell, widths[index] ?? 3)).join(" | ")} |`;
      const shown = body.length;
      const key = artifact.truncated ? "result.table_preview_more" : "result.table_preview";
      previews.push({
        step: step.step_id,
        caption: t(locale, key, {
          step: step.step_id,
          title: clip(oneLine(artifact.title), 80),
          shown,
          rows: artifact.rows.length,
        }),
        lines: [
          line(header),
          `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`,
          ...body.map(line),
        ],
      });
    }
  }
  return previews;
}
