import type { Cell } from "./types.js";

/**
 * DuckDB's values as plain cells: numbers as numbers (charts and CSV need them so), dates and times as
 * their ISO text, nested values as JSON. Type names are DuckDB's (`BIGINT`, `DECIMAL(18,2)`, `DATE`).
 */

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/i;
const TEMPORAL =
  /^(DATE|TIME|TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIME WITH TIME ZONE)$/i;

export type ColumnKind = "number" | "temporal" | "text" | "boolean" | "other";

export function kindOf(type: string): ColumnKind {
  if (NUMERIC.test(type)) return "number";
  if (TEMPORAL.test(type)) return "temporal";
  if (/^(VARCHAR|ENUM|UUID)/i.test(type)) return "text";
  if (/^BOOLEAN$/i.test(type)) return "boolean";
  return "other";
}

/** One value of `getRowsJson()` (bigints and decimals arrive as text) as the cell for its column. */
export function cellOf(value: unknown, kind: ColumnKind): Cell {
  if (value === null || value === undefined) return null;
  if (kind === "number") {
    const number = typeof value === "number" ? value : Number(value);
    // Integers beyond 2^53 keep their digits as text rather than lose them.
    if (
      Number.isFinite(number) &&
      (typeof value === "number" || Number.isSafeInteger(number) || !/^-?\d+$/.test(String(value)))
    )
      return number;
    return String(value);
  }
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return value;
  if (typeof value === "number") return value;
  return JSON.stringify(value);
}

/** A SQL identifier, quoted. */
export function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** A SQL string literal. */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
