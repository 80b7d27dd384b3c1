import { Worker } from "node:worker_threads";
import { Mutex } from "async-mutex";
import { OctoError } from "../vocabulary/index.js";
import { lockDataDir } from "./data-dir-lock.js";
import type { Database, PoolLike, Queryable, QueryResult } from "./database.js";

export interface PgliteOptions {
  /** A directory for a persistent database; undefined for an in-memory one (tests). */
  dataDir: string | undefined;
  schema: string;
}

type WorkerMessage =
  | { type: "ready" }
  | { type: "failed"; error: WorkerError }
  | { type: "reply"; id: number; rows?: unknown[]; affectedRows?: number; error?: WorkerError };

interface WorkerError {
  message: string;
  name: string;
  [key: string]: unknown;
}

/** An error from the worker, rebuilt with the fields Postgres errors carry (`code`, `detail` ...). */
function rebuild(error: WorkerError): Error {
  const rebuilt = new Error(error.message);
  Object.assign(rebuilt, error);
  return rebuilt;
}

/**
 * Embedded Postgres (PGlite), run in a worker thread so its WebAssembly never blocks the event loop.
 * It has exactly one connection, so every statement and every transaction takes one in-process mutex;
 * a transaction holds it from BEGIN to COMMIT. Code inside `transaction` must use the `tx` it is given,
 * never the database itself, or it waits on its own lock.
 */
export async function openPglite(options: PgliteOptions): Promise<Database> {
  const lock = options.dataDir ? await lockDataDir(options.dataDir) : undefined;
  const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), {
    workerData: {
      dataDir: options.dataDir ? `${options.dataDir}/pgdata` : undefined,
      schema: options.schema,
    },
  });
  const pending = new Map<number, { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "ready") resolve();
      else if (message.type === "failed") reject(rebuild(message.error));
      else {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        waiter?.resolve(message);
      }
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      exited = new OctoError("store_unavailable", `the embedded database stopped (worker exit ${code})`);
      reject(exited);
      for (const waiter of pending.values()) waiter.reject(exited);
      pending.clear();
    });
  });
  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    await lock?.release();
    throw error;
  }

  const call = (request: { op: "query"; sql: string; params: unknown[] } | { op: "close" }) =>
    new Promise<WorkerMessage>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });

  const raw = async <Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> => {
    const reply = await call({ op: "query", sql, params: params ? [...params] : [] });
    if (reply.type !== "reply") throw new Error("unexpected message from the embedded database");
    if (reply.error) throw rebuild(reply.error);
    const rows = (reply.rows ?? []) as Row[];
    // SELECT reports affectedRows 0, DELETE without RETURNING reports no rows: take whichever says more.
    return { rows, rowCount: Math.max(rows.length, reply.affectedRows ?? 0) };
  };
  const mutex = new Mutex();
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
        await raw("BEGIN");
        try {
          const tx: Queryable = { query: raw };
          const value = await work(tx);
          await raw("COMMIT");
          return value;
        } catch (error) {
          await raw("ROLLBACK").catch(() => {});
          throw error;
        }
      }),
    async close() {
      if (closed) return;
      closed = true;
      await mutex.runExclusive(async () => {
        if (!exited) await call({ op: "close" }).catch(() => undefined);
      });
      await worker.terminate();
      await lock?.release();
    },
  };
}
