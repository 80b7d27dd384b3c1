import { t } from "../../i18n/index.js";
import type { QueryResult, TableProfile } from "../../tools/sql/index.js";
import { clip, type Locale, markdownTable } from "../../vocabulary/index.js";

/**
 * The data step's words, made without a model: each table's profile, the query and the first rows of
 * its result, as Markdown. With a small model these are the substance of the answer, so they are
 * exact, and say what was cut.
 */

const PROFILE_COLUMNS = 30;
const PREVIEW_ROWS = 10;

function count(value: number, locale: Locale): string {
  return value.toLocaleString(locale === "ko" ? "ko-KR" : "en-US");
}

function figure(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "";
  return Math.abs(value) >= 1e6 || Number.isInteger(value)
    ? String(Math.round(value * 100) / 100)
    : value.toPrecision(6).replace(/\.?0+$/, "");
}

export function profileMarkdown(table: TableProfile, locale: Locale): string {
  const shown = table.columns.slice(0, PROFILE_COLUMNS);
  const lines = [
    t(locale, "data.profile_title", {
      file: table.file,
      table: table.table,
      rows: count(table.rows, locale),
      columns: table.columns.length,
    }),
    "",
    ...markdownTable(
      t(locale, "data.profile_head")
        .split("|")
        .map((cell) => cell.trim())
        .filter(Boolean),
      shown.map((column) => [
        column.name,
        column.type,
        count(column.nulls, locale),
        column.distinct === undefined ? "" : count(column.distinct, locale),
        column.min ?? "",
        column.max ?? "",
        figure(column.mean),
      ]),
      { cellChars: 30 },
    ),
  ];
  if (table.columns.length > shown.length)
    lines.push("", t(locale, "data.more_columns", { count: table.columns.length - shown.length }));
  return lines.join("\n");
}

/** The query's first rows, for the model's context and the answer. */
export function resultMarkdown(result: QueryResult, locale: Locale, rows = PREVIEW_ROWS): string {
  const head = result.truncated
    ? t(locale, "data.result_truncated", { rows: count(result.rows.length, locale) })
    : t(locale, "data.result", { rows: count(result.rows.length, locale) });
  if (result.rows.length === 0) return `${head}\n\n${t(locale, "data.no_rows")}`;
  const lines = [head, "", ...markdownTable(result.columns, result.rows.slice(0, rows), { cellChars: 40 })];
  if (result.rows.length > rows) lines.push("", t(locale, "data.preview_more", { shown: rows }));
  return lines.join("\n");
}

export function queryMarkdown(sql: string, locale: Locale): string {
  return `${t(locale, "data.query")}\n\n\`\`\`sql\n${clip(sql, 4_000)}\n\`\`\``;
}

/**
 * A query that says something about any table, for when the model gives none that works: totals of
 * the first measure per category when the table has both, the rows themselves otherwise.
 */
export function overviewQuery(table: TableProfile): string {
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const category = table.columns.find(
    (column) =>
      /^(VARCHAR|BOOLEAN|DATE)/i.test(column.type) &&
      (column.distinct ?? 0) > 1 &&
      (column.distinct ?? 0) <= 50,
  );
  const measure = table.columns.find((column) =>
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U?(TINY|SMALL|BIG)?INT(EGER)?|FLOAT|DOUBLE|DECIMAL)/i.test(
      column.type,
    ),
  );
  if (category && measure)
    return `SELECT ${quote(category.name)}, sum(${quote(measure.name)}) AS ${quote(`sum_${measure.name}`)} FROM ${quote(table.table)} GROUP BY 1 ORDER BY 2 DESC NULLS LAST`;
  return `SELECT * FROM ${quote(table.table)}`;
}
