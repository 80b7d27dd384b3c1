import { createHash } from "node:crypto";
import pg from "pg";
import type { Logger } from "../../log.js";
import { errorMessage } from "../../vocabulary/index.js";

/**
 * graphile-worker 0.17 frees the jobs of a worker that died only after a 4-hour lock timeout
 * (`resetLockedAt`: `locked_at < now() - interval '4 hours'`). We add liveness: every queue instance
 * holds a session advisory lock, keyed by its worker id, on a connection of its own. Postgres drops
 * the lock the moment that connection goes away (a killed process, a lost container), so any other
 * instance can tell a dead holder from a live one by trying to take its lock.
 */

/** The advisory-lock key of a worker id, the same in every process: 64 bits of its SHA-256. */
export function livenessKey(workerId: string): string {
  return createHash("sha256").update(`octostrator-queue:${workerId}`).digest().readBigInt64BE(0).toString();
}

export interface LivenessOptions {
  connectionString: string;
  applicationName: string;
  /** graphile's id for the worker pool: what it writes into `locked_by`. */
  workerId: string;
  logger: Logger;
}

const RECONNECT_MIN_MS = 25;
const RECONNECT_MAX_MS = 2_000;

/**
 * Holds this worker's liveness lock and keeps holding it: when the connection drops (a restarted
 * server, `pg_terminate_backend`) it reconnects and takes the lock again at once, well within the two
 * sweeps another instance waits before it treats the worker as gone. The same connection runs the
 * sweeps, which are only meaningful while we can prove we are alive ourselves.
 */
export class LivenessLock {
  private client: pg.Client | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private heldNow!: Promise<void>;
  private markHeld!: () => void;
  private readonly loop: Promise<void>;
  private readonly key: string;

  private constructor(private readonly options: LivenessOptions) {
    this.key = livenessKey(options.workerId);
    this.resetHeld();
    this.loop = this.maintain();
  }

  /** Starts connecting and taking the lock; `held()` says when it is held. */
  static create(options: LivenessOptions): LivenessLock {
    return new LivenessLock(options);
  }

  /** Resolves while the lock is held; waits across a reconnect; resolves at once after close. */
  held(): Promise<void> {
    return this.heldNow;
  }

  /** A query on the lock's connection; throws while it is reconnecting. */
  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const client = this.client;
    if (!client) throw new Error("the queue's liveness connection is reconnecting");
    const result = await client.query(sql, params as unknown[]);
    return result.rows as Row[];
  }

  /** Runs `work` in a transaction on the lock's connection. */
  async transaction<T>(
    work: (query: <Row>(sql: string, params?: readonly unknown[]) => Promise<Row[]>) => Promise<T>,
  ) {
    const client = this.client;
    if (!client) throw new Error("the queue's liveness connection is reconnecting");
    const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(sql, params as unknown[])).rows as Row[];
    await client.query("BEGIN");
    try {
      const value = await work(query);
      await client.query("COMMIT");
      return value;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  /** Ends the connection, which releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.markHeld();
    this.wake?.();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
    await this.loop;
  }

  private resetHeld(): void {
    this.heldNow = new Promise((resolve) => {
      this.markHeld = resolve;
    });
  }

  private async maintain(): Promise<void> {
    let delay = RECONNECT_MIN_MS;
    let lostBefore = false;
    while (!this.closed) {
      const client = new pg.Client({
        connectionString: this.options.connectionString,
        application_name: this.options.applicationName,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
        connectionTimeoutMillis: 10_000,
      });
      const lost = new Promise<void>((resolve) => {
        client.on("error", () => resolve());
        client.on("end", () => resolve());
      });
      try {
        await client.connect();
        await this.acquire(client);
        if (this.closed) {
          await client.end().catch(() => {});
          break;
        }
        this.client = client;
        this.markHeld();
        if (lostBefore) this.options.logger.info("queue liveness lock taken again after a reconnect");
        delay = RECONNECT_MIN_MS;
        await lost;
        if (this.closed) break;
        this.client = undefined;
        // Make sure the old session is gone, or it would keep the lock from the new one.
        await client.end().catch(() => {});
        this.resetHeld();
        lostBefore = true;
        this.options.logger.warn("queue liveness connection lost; reconnecting");
      } catch (error) {
        if (this.client === client) this.client = undefined;
        await client.end().catch(() => {});
        if (this.closed) break;
        this.options.logger.warn({ err: errorMessage(error) }, "queue liveness connection failed; retrying");
        await this.sleep(delay);
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      }
    }
  }

  /** A sweeper may hold our key for an instant while testing it: try again shortly. */
  private async acquire(client: pg.Client): Promise<void> {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [
        this.key,
      ]);
      if (rows[0]?.ok || this.closed) return;
      await this.sleep(RECONNECT_MIN_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
