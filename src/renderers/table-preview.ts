import { t } from "../i18n/index.js";
import type { StepResult } from "../supervisor/types.js";
import { clip, type Locale, markdownTable, oneLine } from "../vocabulary/index.js";

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
      const header = [...columns, ...(more ? ["…"] : [])];
      const body = artifact.rows
        .slice(0, maxRows)
        .map((row) => [...columns.map((_, index) => row[index] ?? null), ...(more ? ["…"] : [])]);
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
        // A backtick would close the code block a platform shows the preview in.
        lines: markdownTable(header, body, { cellChars, monospace: true }).map((line) =>
          line.replace(/`/g, "'"),
        ),
      });
    }
  }
  return previews;
}
