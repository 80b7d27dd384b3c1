import { PGlite } from "@electric-sql/pglite";
import { Mutex } from "async-mutex";
import { lockDataDir } from "./data-dir-lock.js";
import type { Database, PoolLike, Queryable, QueryResult } from "./database.js";

export interface PgliteOptions {
  /** A directory for a persistent database; undefined for an in-memory one (tests). */
  dataDir: string | undefined;
  schema: string;
}

/**
 * Embedded Postgres (PGlite). It has exactly one connection, so every statement and every transaction
 * takes one in-process mutex; a transaction holds it from BEGIN to COMMIT. Code inside `transaction`
 * must use the `tx` it is given, never the database itself, or it waits on its own lock.
 */
export async function openPglite(options: PgliteOptions): Promise<Database> {
  const lock = options.dataDir ? await lockDataDir(options.dataDir) : undefined;
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir ? `${options.dataDir}/pgdata` : undefined);
    await db.exec(
      `CREATE SCHEMA IF NOT EXISTS "${options.schema}"; SET search_path TO "${options.schema}", public;`,
    );
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const mutex = new Mutex();

  const raw = async <Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> => {
    const result = await db.query<Row>(sql, params ? [...params] : []);
    // SELECT reports affectedRows 0, DELETE without RETURNING reports no rows: take whichever says more.
    return { rows: result.rows, rowCount: Math.max(result.rows.length, result.affectedRows ?? 0) };
  };
  const locked = <Row>(sql: string, params?: readonly unknown[]) =>
    mutex.runExclusive(() => raw<Row>(sql, params));

  const pool: PoolLike = {
    query: (sql, params) => locked(sql, params),
    async connect() {
      const release = await mutex.acquire();
      let released = false;
      return {
        query: (sql: string, params?: unknown[]) => raw(sql, params),
        release() {
          if (!released) {
            released = true;
            release();
          }
        },
      };
    },
    end: async () => {},
  };

  let closed = false;
  return {
    kind: "pglite",
    schema: options.schema,
    pool,
    query: locked,
    transaction: (work) =>
      mutex.runExclusive(async () => {
        await db.query("BEGIN");
        try {
          const tx: Queryable = { query: raw };
          const value = await work(tx);
          await db.query("COMMIT");
          return value;
        } catch (error) {
          await db.query("ROLLBACK").catch(() => {});
          throw error;
        }
      }),
    async close() {
      if (closed) return;
      closed = true;
      await mutex.runExclusive(() => db.close());
      await lock?.release();
    },
  };
}
