import type { Logger } from "../../log.js";
import { errorMessage } from "../../vocabulary/index.js";
import { graphileSql, newJobNotice } from "./graphile-sql.js";
import { type LivenessLock, livenessKey } from "./liveness.js";

export interface SweeperOptions {
  lock: LivenessLock;
  workerSchema: string;
  /** Our own worker id, never swept. */
  workerId: string;
  intervalMs: number;
  logger: Logger;
}

/**
 * Finds the workers holding jobs whose liveness lock nobody holds, and puts their jobs back at the
 * head of their threads. A lock found free once may belong to a live worker between losing its
 * connection and taking the lock again on the next one, so a worker is only treated as gone when its
 * lock is free on two sweeps in a row.
 */
export class Sweeper {
  private readonly sql;
  private readonly suspects = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: SweeperOptions) {
    this.sql = graphileSql(options.workerSchema);
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /** One sweep; returns how many jobs it took back. */
  async sweep(): Promise<number> {
    const { lock } = this.options;
    const holders = await lock.query<{ worker_id: string }>(this.sql.holders, [this.options.workerId]);
    const seen = new Set(holders.map((row) => row.worker_id));
    for (const id of this.suspects.keys()) if (!seen.has(id)) this.suspects.delete(id);
    let reclaimed = 0;
    for (const id of seen) {
      if (this.stopped) break;
      const key = livenessKey(id);
      const [probe] = await lock.query<{ free: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS free", [
        key,
      ]);
      if (!probe?.free) {
        this.suspects.delete(id);
        continue;
      }
      await lock.query("SELECT pg_advisory_unlock($1::bigint)", [key]);
      const sweeps = (this.suspects.get(id) ?? 0) + 1;
      if (sweeps < 2) {
        this.suspects.set(id, sweeps);
        continue;
      }
      this.suspects.delete(id);
      const jobs = await this.reclaim(id);
      reclaimed += jobs;
      this.options.logger.warn({ deadWorker: id, jobs }, "took back the jobs of a queue worker that is gone");
    }
    return reclaimed;
  }

  private async reclaim(workerId: string): Promise<number> {
    return this.options.lock.transaction(async (query) => {
      const moved = await query(this.sql.reclaimHead, [workerId]);
      await query(this.sql.reclaimUnlock, [workerId]);
      if (moved.length > 0) await query(this.sql.notify, [newJobNotice()]);
      return moved.length;
    });
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.sweep()
        .then(
          () => undefined,
          (error) => {
            // Reconnecting, or the database is away: the next sweep tries again.
            this.options.logger.debug({ err: errorMessage(error) }, "queue sweep skipped");
          },
        )
        .finally(() => {
          this.current = undefined;
          this.schedule(this.options.intervalMs);
        });
    }, delay);
  }
}
