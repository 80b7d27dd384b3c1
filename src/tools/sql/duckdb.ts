import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { formatOf, loadTable, tableNames } from "./load.js";
import { profileTable } from "./profile.js";
import { checkedQuery, firstLine } from "./statement.js";
import {
  type QueryResult,
  SqlError,
  type SqlLimits,
  type TableFile,
  type TableProfile,
  type TableQuerier,
  type TableSession,
} from "./types.js";
import { cellOf, kindOf } from "./values.js";

/**
 * SQL on attached files with DuckDB: a fresh in-memory database per session (one data step), the files
 * loaded into tables, then locked down for good before any query the model wrote can run: no directory
 * is allowed, external access is off, spilling to disk is off (a temp directory would be writable),
 * extensions are neither installed nor loaded, and the configuration is locked, so no later `SET` can
 * undo any of it. After that a query can read the tables and nothing else: not another file, not
 * `COPY ... TO`, not `ATTACH`, not `INSTALL`.
 */

export const DEFAULT_SQL_LIMITS: SqlLimits = {
  maxRows: 1_000,
  timeoutMs: 10_000,
  memoryMb: 256,
  maxTables: 5,
};

/** Settings fixed when the database is created (string values: that is how DuckDB takes them). */
function settings(limits: SqlLimits): Record<string, string> {
  return {
    threads: "1",
    memory_limit: `${limits.memoryMb}MB`,
    temp_directory: "",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    allow_community_extensions: "false",
    allow_unsigned_extensions: "false",
  };
}

const LOCK_DOWN = [
  "SET allowed_directories = []",
  "SET allowed_paths = []",
  "SET enable_external_access = false",
  "SET lock_configuration = true",
];

/** Runs `work` on the connection, interrupting it at the deadline or when `signal` aborts. */
async function bounded<T>(
  connection: DuckDBConnection,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (signal?.aborted) throw new SqlError("timeout", "the query was cancelled before it started");
  let reason: "deadline" | "cancelled" | undefined;
  const stop = (why: "deadline" | "cancelled") => {
    reason ??= why;
    connection.interrupt();
  };
  const timer = setTimeout(() => stop("deadline"), timeoutMs);
  const onAbort = () => stop("cancelled");
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await work();
  } catch (error) {
    if (reason === "deadline") throw new SqlError("timeout", `stopped at the ${timeoutMs} ms time limit`);
    if (reason === "cancelled") throw new SqlError("timeout", "the query was cancelled");
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

class DuckDbSession implements TableSession {
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly tables: readonly TableProfile[],
    private readonly limits: SqlLimits,
  ) {}

  async query(sql: string, options: { signal?: AbortSignal } = {}): Promise<QueryResult> {
    const text = await checkedQuery(this.connection, sql);
    const started = performance.now();
    const reader = await bounded(this.connection, this.limits.timeoutMs, options.signal, async () => {
      try {
        const prepared = await this.connection.prepare(text);
        return await prepared.streamAndReadUntil(this.limits.maxRows + 1);
      } catch (error) {
        if (error instanceof SqlError) throw error;
        const message = firstLine(error);
        // Past the memory limit the query itself is too big; a corrected query is no likelier to fit.
        throw new SqlError(/^Out of Memory Error/i.test(message) ? "limits" : "query", message, {
          cause: error,
        });
      }
    });
    const columns = reader.columnNames();
    const types = reader.columnTypes().map((type) => type.toString());
    const kinds = types.map(kindOf);
    const rows = reader
      .getRowsJson()
      .slice(0, this.limits.maxRows)
      .map((row) => row.map((value, index) => cellOf(value, kinds[index] ?? "other")));
    return {
      sql: text,
      columns,
      types,
      rows,
      truncated: reader.currentRowCount > this.limits.maxRows || !reader.done,
      durationMs: performance.now() - started,
    };
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * A database holding `files` as profiled tables, locked down: what every session runs its queries on.
 * Exported for the tests that try the lock-down itself, with statements no session would let through.
 */
export async function openLockedDatabase(
  files: readonly TableFile[],
  limits: SqlLimits,
  signal?: AbortSignal,
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection; tables: TableProfile[] }> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "octo-sql-"));
  const instance = await DuckDBInstance.create(":memory:", settings(limits));
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    const live = connection;
    const names = tableNames(files);
    const tables: TableProfile[] = [];
    await bounded(live, limits.timeoutMs, signal, async () => {
      for (const [index, file] of files.entries()) {
        const table = names[index] as string;
        const format = formatOf(file);
        if (!format) throw new SqlError("load", `${file.name} is not a CSV, TSV, JSON or Parquet file`);
        await loadTable(live, directory, file, table, format);
        const profile = await profileTable(live, table).catch((error: unknown) => {
          throw new SqlError("load", `${file.name} could not be profiled: ${firstLine(error)}`, {
            cause: error,
          });
        });
        tables.push({ table, file: file.name, format, ...profile });
      }
      for (const statement of LOCK_DOWN) await live.run(statement);
    });
    return { instance, connection: live, tables };
  } catch (error) {
    connection?.closeSync();
    instance.closeSync();
    if (error instanceof SqlError) throw error;
    throw new SqlError("load", firstLine(error), { cause: error });
  } finally {
    // Everything is in memory now; the copies of the files are not needed, and nothing may read them.
    await rm(directory, { recursive: true, force: true });
  }
}

export class DuckDbQuerier implements TableQuerier {
  readonly limits: SqlLimits;

  constructor(limits: Partial<SqlLimits> = {}) {
    this.limits = { ...DEFAULT_SQL_LIMITS, ...limits };
  }

  accepts(file: TableFile): boolean {
    return formatOf(file) !== undefined;
  }

  async open(files: readonly TableFile[], options: { signal?: AbortSignal } = {}): Promise<TableSession> {
    const usable = files.filter((file) => this.accepts(file));
    if (usable.length === 0) throw new SqlError("load", "no CSV, TSV, JSON or Parquet file is attached");
    if (usable.length > this.limits.maxTables)
      throw new SqlError("limits", `at most ${this.limits.maxTables} tables at once, not ${usable.length}`);
    const unread = usable.find((file) => file.unread);
    if (unread) throw new SqlError("load", `${unread.name} was not read (${unread.unread})`);
    const { instance, connection, tables } = await openLockedDatabase(usable, this.limits, options.signal);
    return new DuckDbSession(instance, connection, tables, this.limits);
  }

  async close(): Promise<void> {}
}
