/**
 * SQL over the files attached to a conversation: each file becomes a table of an in-memory DuckDB that
 * can read nothing else, is profiled without any model, and answers read-only queries under row and
 * time limits. Failures are `SqlError`s whose message a person can read.
 */

export type Cell = string | number | boolean | null;

/** A file as the agents get it: text for CSV / TSV / JSON, bytes for Parquet. */
export interface TableFile {
  name: string;
  text: string;
  bytes?: Uint8Array | undefined;
  /** Set when the platform did not read the file (too large, not text ...), with why. */
  unread?: string | undefined;
}

export interface ColumnProfile {
  name: string;
  /** DuckDB's type name (`BIGINT`, `VARCHAR`, `DATE` ...). */
  type: string;
  nulls: number;
  /** For simple types (numbers, text, dates, booleans). */
  distinct?: number | undefined;
  /** For numbers, dates and text: the smallest and largest value, as text. */
  min?: string | undefined;
  max?: string | undefined;
  /** For numbers only. */
  mean?: number | undefined;
}

export interface TableProfile {
  /** The SQL name of the table (an identifier made from the file name). */
  table: string;
  /** The file it was loaded from. */
  file: string;
  format: "csv" | "tsv" | "json" | "parquet";
  rows: number;
  columns: ColumnProfile[];
}

export interface QueryResult {
  sql: string;
  columns: string[];
  /** DuckDB's type name per column. */
  types: string[];
  rows: Cell[][];
  /** More rows existed than the row limit kept. */
  truncated: boolean;
  durationMs: number;
}

export interface SqlLimits {
  /** Rows a query may return; the rest are counted out (`truncated`). */
  maxRows: number;
  /** Wall-clock time of one query, or of loading the files. */
  timeoutMs: number;
  /** DuckDB's memory_limit, in MB. */
  memoryMb: number;
  /** Files a session may load. */
  maxTables: number;
}

export interface TableSession {
  readonly tables: readonly TableProfile[];
  /** Runs one read-only statement (SELECT / WITH ... SELECT) over the tables; anything else is refused. */
  query(sql: string, options?: { signal?: AbortSignal }): Promise<QueryResult>;
  close(): Promise<void>;
}

export interface TableQuerier {
  readonly limits: SqlLimits;
  /** The files this querier can load (by extension or content); others are left out of `open`. */
  accepts(file: TableFile): boolean;
  /** Loads the files into a fresh locked-down database and profiles every table. */
  open(files: readonly TableFile[], options?: { signal?: AbortSignal }): Promise<TableSession>;
  close(): Promise<void>;
}

export const SQL_FAILURES = ["load", "refused", "query", "timeout", "limits"] as const;
export type SqlFailure = (typeof SQL_FAILURES)[number];

export class SqlError extends Error {
  override readonly name = "SqlError";
  constructor(
    readonly kind: SqlFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isSqlError(error: unknown): error is SqlError {
  return error instanceof Error && error.name === "SqlError" && "kind" in error;
}
