import type { DuckDBConnection } from "@duckdb/node-api";
import type { ColumnProfile } from "./types.js";
import { kindOf, quoted } from "./values.js";

/**
 * A table described without any model: its rows, and for every column its type, nulls and distinct
 * values, and for simple types the smallest and largest value (and the mean of numbers). One query a
 * table, exact counts (not the approximations SUMMARIZE gives), so what a small model is told is true.
 */

export async function profileTable(
  connection: DuckDBConnection,
  table: string,
): Promise<{ rows: number; columns: ColumnProfile[] }> {
  const described = await connection.runAndReadAll(`DESCRIBE ${quoted(table)}`);
  const columns = described.getRowsJson().map((row) => ({ name: String(row[0]), type: String(row[1]) }));
  const parts = ["count(*)"];
  for (const column of columns) {
    const name = quoted(column.name);
    const kind = kindOf(column.type);
    const simple = kind !== "other";
    parts.push(
      `count(*) - count(${name})`,
      simple ? `count(DISTINCT ${name})` : "NULL",
      simple ? `min(${name})::VARCHAR` : "NULL",
      simple ? `max(${name})::VARCHAR` : "NULL",
      kind === "number" ? `avg(${name})::DOUBLE` : "NULL",
    );
  }
  const reader = await connection.runAndReadAll(`SELECT ${parts.join(", ")} FROM ${quoted(table)}`);
  const [values = []] = reader.getRowsJson();
  const number = (value: unknown) => (value === null || value === undefined ? undefined : Number(value));
  const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
  return {
    rows: number(values[0]) ?? 0,
    columns: columns.map((column, index) => {
      const at = 1 + index * 5;
      const distinct = number(values[at + 1]);
      return {
        name: column.name,
        type: column.type,
        nulls: number(values[at]) ?? 0,
        distinct,
        min: text(values[at + 2]),
        max: text(values[at + 3]),
        mean: number(values[at + 4]),
      };
    }),
  };
}
