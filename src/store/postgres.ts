import pg from "pg";
import { OctoError } from "../vocabulary/index.js";
import type { Database, Queryable, QueryResult } from "./database.js";
import { withReconnect } from "./reconnect.js";

export interface PostgresOptions {
  connectionString: string;
  schema: string;
  max: number;
}

/** A Postgres server reached through a `pg` pool whose connections all use `schema`. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    // Every connection resolves unqualified names in our schema, so tests and tenants can share a database.
    options: `-c search_path=${options.schema},public`,
    connectionTimeoutMillis: 10_000,
  });
  // A client losing its server (a restart, pg_terminate_backend) must not crash the process: idle ones
  // are reported on the pool, checked-out ones on the client, which pg-pool leaves unhandled. The query
  // in flight fails and reports it; the pool replaces the client.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  try {
    // Only a reachability check: the schema is created by migrate(), under the migration lock.
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => {});
    throw new OctoError("store_unavailable", `cannot reach Postgres: ${(error as Error).message}`, {
      cause: error,
    });
  }

  const run = async <Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) => {
    const result = await client.query(sql, params as unknown[] | undefined);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 } satisfies QueryResult<Row>;
  };

  return {
    kind: "postgres",
    schema: options.schema,
    pool,
    query: (sql, params) => withReconnect(() => run(pool, sql, params)),
    transaction: (work) => withReconnect(() => transaction(work)),
    close: () => pool.end(),
  };

  async function transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const tx: Queryable = { query: (sql, params) => run(client, sql, params) };
      const value = await work(tx);
      await client.query("COMMIT");
      return value;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A connection that cannot even roll back is gone: destroyed, not handed to the next caller.
      client.release(broken);
    }
  }
}
