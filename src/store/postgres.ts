import pg from "pg";
import { OctoError } from "../vocabulary/index.js";
import type { Database, Queryable, QueryResult } from "./database.js";

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
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
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
    query: (sql, params) => run(pool, sql, params),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: Queryable = { query: (sql, params) => run(client, sql, params) };
        const value = await work(tx);
        await client.query("COMMIT");
        return value;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
