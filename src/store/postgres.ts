import pg from "pg";
import type { Logger } from "../log.js";
import { errorMessage, OctoError } from "../vocabulary/index.js";
import type { Database, Queryable, QueryResult } from "./database.js";
import { withReconnect } from "./reconnect.js";

export interface PostgresOptions {
  connectionString: string;
  schema: string;
  max: number;
  /** Where lost connections are reported; without one (tests, tools) they go to stderr as a warning. */
  logger?: Logger | undefined;
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
  // in flight fails and reports it (and is retried, see withReconnect); the pool replaces the client.
  // Logged either way: an operator sees the outage begin, not only the failures it causes.
  const lost = poolErrorReporter(options.logger, "store");
  pool.on("error", lost);
  pool.on("connect", (client) => client.on("error", lost));
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

/**
 * Reports a pooled connection the server or the network took away, at most once a second per pool (an
 * outage drops every connection at once), with the error's code and message.
 */
export function poolErrorReporter(logger: Logger | undefined, pool: string): (error: Error) => void {
  let last = 0;
  let dropped = 0;
  return (error) => {
    dropped += 1;
    const now = Date.now();
    if (now - last < 1_000) return;
    last = now;
    const fields = {
      pool,
      code: (error as { code?: unknown }).code,
      err: errorMessage(error),
      connections: dropped,
    };
    dropped = 0;
    if (logger) logger.warn(fields, "Postgres connection lost; the pool reconnects");
    else process.emitWarning(`Postgres connection lost (${pool}): ${fields.err}`);
  };
}
