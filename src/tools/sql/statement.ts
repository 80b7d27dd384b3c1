import type { DuckDBConnection } from "@duckdb/node-api";
import { StatementType } from "@duckdb/node-api";
import { SqlError } from "./types.js";

/**
 * What a query may be: exactly one statement, a SELECT (plain, WITH, FROM-first or VALUES), checked
 * twice before it runs: by its words, then by DuckDB's own parse of it (a `WITH ... INSERT` starts
 * like a query and is not one; `PRAGMA` parses as a SELECT and is not one). The database is locked
 * down as well (nothing outside it can be read or written), so this is the first wall, not the only.
 */

const OPENINGS = /^(select|with|from|values)\b|^\(/i;
/**
 * Statements that are not queries. Text starting with one of them is refused; anything else that is
 * not a query either (a small model's file name or prose) is merely wrong, like any SQL error: the
 * agent may ask again and then falls back to an overview, instead of failing the step as it must for
 * a write.
 */
const COMMANDS =
  /^(insert|update|delete|merge|upsert|replace|drop|create|alter|truncate|copy|export|import|attach|detach|install|load|force|pragma|set|reset|call|use|vacuum|checkpoint|analyze|begin|start|commit|end|rollback|abort|grant|revoke|prepare|execute|deallocate|comment|show|describe|summarize|explain|pivot|unpivot|update_extensions)\b/i;

/** The statement without the comments before it and the semicolons after it (models add both). */
export function cleaned(sql: string): string {
  return sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, "").replace(/[\s;]+$/, "");
}

export async function checkedQuery(connection: DuckDBConnection, sql: string): Promise<string> {
  const text = cleaned(sql);
  if (text.length === 0) throw new SqlError("query", "the query is empty");
  const first = text.split(/\s+/)[0]?.slice(0, 20) ?? "";
  if (!OPENINGS.test(text)) {
    if (COMMANDS.test(text)) throw new SqlError("refused", `only a SELECT query may run, not "${first}"`);
    throw new SqlError("query", `not a SQL query: it starts with "${first}"`);
  }
  let count: number;
  let type: number;
  try {
    const statements = await connection.extractStatements(text);
    count = statements.count;
    if (count !== 1) throw new SqlError("refused", `only one statement may run, not ${count}`);
    const prepared = await statements.prepare(0);
    type = prepared.statementType;
  } catch (error) {
    if (error instanceof SqlError) throw error;
    throw new SqlError("query", firstLine(error));
  }
  if (type !== StatementType.SELECT)
    throw new SqlError(
      "refused",
      `only a SELECT query may run, not ${StatementType[type] ?? "this statement"}`,
    );
  return text;
}

/** DuckDB's message without the caret lines it draws under the query. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split("\n")
      .filter((line) => line.trim() && !/^\s*\^/.test(line) && !/^LINE \d+:/.test(line))[0]
      ?.trim() ?? message
  );
}
