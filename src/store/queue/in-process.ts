import type { Logger } from "../../log.js";
import { errorMessage } from "../../vocabulary/index.js";
import type { Queryable } from "../database.js";
import { type Outcome, Runs } from "./runs.js";
import { MinuteScheduler, type ScheduledTask } from "./schedule.js";
import type { JobHandler, JobQueue, NewJob, QueuedJob } from "./types.js";

export interface InProcessQueueOptions {
  db: Queryable;
  concurrency: number;
  logger: Logger;
  /**
   * Backstop poll. An enqueue wakes the queue at once, but inside a transaction the job is only
   * visible once the caller commits; on PGlite the wake-up's query waits for the commit anyway (one
   * connection), elsewhere the follow-up look or this poll finds it.
   */
  pollIntervalMs?: number | undefined;
}

const DEFAULT_POLL_MS = 1_000;
/** A second look shortly after an enqueue, for a transaction that commits right after it. */
const FOLLOW_UP_MS = 50;
/** Lowest first; a job carried on after a stop or a crash goes before its thread's `first` jobs too. */
const PRIORITY = { carriedOn: -2, first: -1, normal: 0 } as const;

interface JobRow {
  id: string;
  thread_key: string;
  kind: string;
  payload: Record<string, unknown>;
  created_at: Date | string;
}

/**
 * The job queue on embedded PGlite, where exactly one process uses the database (the data-dir lock).
 * Jobs are rows of `octo_jobs`, so they survive a crash or a restart; which of them are running is
 * known only to this process, so at start every row is waiting: the process that ran them is gone.
 * A job's `attempts` is counted when it is taken, so a job carried on after a crash or a stop runs
 * as attempt 2.
 */
export class InProcessJobQueue implements JobQueue {
  readonly kind = "in-process";
  readonly concurrency: number;
  private readonly db: Queryable;
  private readonly logger: Logger;
  private readonly runs: Runs;
  private handler: JobHandler | undefined;
  private readonly busyThreads = new Set<string>();
  /** Jobs finished here whose row could not be removed: never taken again by this process. */
  private readonly finished = new Set<string>();
  private readonly settling = new Set<Promise<void>>();
  private pumping: Promise<void> | undefined;
  private again = false;
  private stopping: Promise<void> | undefined;
  private timers = new Set<NodeJS.Timeout>();
  /** Scheduled tasks: this is the only process on its database, so a timer here is the only one. */
  readonly scheduler: MinuteScheduler;

  constructor(private readonly options: InProcessQueueOptions) {
    this.db = options.db;
    this.concurrency = options.concurrency;
    this.logger = options.logger;
    this.runs = new Runs(options.logger);
    this.scheduler = new MinuteScheduler(options.logger);
  }

  schedule(task: ScheduledTask): void {
    if (this.handler) throw new Error("schedule tasks before the queue starts");
    this.scheduler.add(task);
  }

  get running(): number {
    return this.runs.size;
  }

  async enqueue(job: NewJob, tx?: Queryable): Promise<string | undefined> {
    const { rows } = await (tx ?? this.db).query<{ id: string }>(
      `INSERT INTO octo_jobs (thread_key, kind, payload, priority, dedupe_key)
       VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING job_id::text AS id`,
      [
        job.threadKey,
        job.kind,
        JSON.stringify(job.payload),
        PRIORITY[job.priority ?? "normal"],
        job.dedupeKey ?? null,
      ],
    );
    if (this.handler && !this.stopping) {
      this.later(0);
      this.later(FOLLOW_UP_MS);
    }
    return rows[0]?.id;
  }

  /** Nothing to drop: a thread's rows here are its jobs, removed as they finish. */
  async discard(_threadKey: string): Promise<void> {}

  async depth(threadKey: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM octo_jobs WHERE thread_key = $1",
      [threadKey],
    );
    return rows[0]?.n ?? 0;
  }

  async backlog(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM octo_jobs");
    return rows[0]?.n ?? 0;
  }

  async start(handler: JobHandler): Promise<void> {
    if (this.handler || this.stopping) throw new Error("a job queue starts once");
    this.handler = handler;
    this.scheduler.start();
    this.poll();
    await this.pump();
  }

  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.shutdown(graceMs);
    return this.stopping;
  }

  private async shutdown(graceMs: number): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const scheduled = this.scheduler.stop();
    this.runs.abort();
    const timer = setTimeout(() => this.runs.expire(), graceMs);
    try {
      await this.pumping;
      await this.runs.idle();
    } finally {
      clearTimeout(timer);
    }
    while (this.settling.size > 0) await Promise.all(this.settling);
    await scheduled;
  }

  private poll(): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopping) return;
      void this.pump();
      this.poll();
    }, this.options.pollIntervalMs ?? DEFAULT_POLL_MS);
    timer.unref();
    this.timers.add(timer);
  }

  private later(ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.pump();
    }, ms);
    this.timers.add(timer);
  }

  /** One taker at a time; a wake-up during a take makes it look once more. */
  private pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        try {
          await this.take();
        } catch (error) {
          this.logger.warn({ err: errorMessage(error) }, "taking queued jobs failed; trying again shortly");
        }
      } while (this.again && !this.stopping);
    })().finally(() => {
      this.pumping = undefined;
    });
    return this.pumping;
  }

  /** Takes the head job of each idle thread, best first, up to the free slots. */
  private async take(): Promise<void> {
    const handler = this.handler;
    const free = this.concurrency - this.busyThreads.size;
    if (!handler || this.stopping || free <= 0) return;
    const { rows } = await this.db.query<JobRow>(
      `SELECT job_id::text AS id, thread_key, kind, payload, created_at FROM (
         SELECT DISTINCT ON (thread_key) job_id, thread_key, kind, payload, priority, created_at
         FROM octo_jobs
         WHERE NOT (thread_key = ANY($1::text[])) AND NOT (job_id = ANY($2::bigint[]))
         ORDER BY thread_key, priority, job_id
       ) AS heads
       ORDER BY priority, job_id
       LIMIT $3`,
      [[...this.busyThreads], [...this.finished], free],
    );
    for (const row of rows) {
      if (this.stopping || this.busyThreads.has(row.thread_key)) continue;
      this.busyThreads.add(row.thread_key);
      const taken = await this.db.query<{ attempts: number }>(
        "UPDATE octo_jobs SET attempts = attempts + 1 WHERE job_id = $1 RETURNING attempts",
        [row.id],
      );
      const attempt = taken.rows[0]?.attempts;
      if (attempt === undefined) {
        this.busyThreads.delete(row.thread_key);
        continue;
      }
      const job: QueuedJob = {
        id: row.id,
        threadKey: row.thread_key,
        kind: row.kind,
        payload: row.payload,
        attempt,
        enqueuedAt: new Date(row.created_at),
      };
      const settled = this.execute(job, handler).finally(() => this.settling.delete(settled));
      this.settling.add(settled);
    }
  }

  private async execute(job: QueuedJob, handler: JobHandler): Promise<void> {
    const outcome = this.stopping ? "release" : await this.runs.run(job, handler);
    await this.settle(job, outcome);
    this.busyThreads.delete(job.threadKey);
    if (!this.stopping) void this.pump();
  }

  private async settle(job: QueuedJob, outcome: Outcome): Promise<void> {
    try {
      if (outcome === "release")
        await this.db.query(
          `UPDATE octo_jobs SET priority = least(priority, ${PRIORITY.carriedOn}) WHERE job_id = $1`,
          [job.id],
        );
      else await this.db.query("DELETE FROM octo_jobs WHERE job_id = $1", [job.id]);
    } catch (error) {
      // Released or not, the row is still there and runs again after a restart; a finished job
      // must not run again here.
      if (outcome !== "release") this.finished.add(job.id);
      this.logger.error(
        { jobId: job.id, outcome, err: errorMessage(error) },
        "finishing a queued job failed",
      );
    }
  }
}
