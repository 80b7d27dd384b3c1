import os from "node:os";
import {
  Logger as GraphileLogger,
  type Job,
  type JobHelpers,
  parseCronItems,
  type Runner,
  run,
  runMigrations,
  runTaskList,
  type WorkerPool,
} from "graphile-worker";
import pg from "pg";
import { z } from "zod";
import type { Logger } from "../../log.js";
import { errorMessage, OctoError } from "../../vocabulary/index.js";
import type { Queryable } from "../database.js";
import { poolErrorReporter } from "../postgres.js";
import {
  graphileSql,
  jobKey,
  newJobNotice,
  PRIORITY,
  queueName,
  TASK_IDENTIFIER,
  workerSchemaFor,
} from "./graphile-sql.js";
import { LivenessLock, livenessKey } from "./liveness.js";
import { MigrationNotices } from "./migration-notices.js";
import { type Outcome, Runs } from "./runs.js";
import { cronMatcherOf, type ScheduledTask } from "./schedule.js";
import { Sweeper } from "./sweeper.js";
import type { JobHandler, JobQueue, NewJob, QueuedJob } from "./types.js";

export interface GraphileQueueOptions {
  /** The store's database: `enqueue` without a transaction and `depth` go through it. */
  db: Queryable;
  postgresUrl: string;
  /** The store's schema; graphile's tables live in `<schema>_worker`. */
  schema: string;
  concurrency: number;
  logger: Logger;
  /** Names this process's connections (`application_name`) and log lines; host and pid by default. */
  workerId?: string | undefined;
  /** How often to look for jobs held by dead workers (a worker is gone after two sweeps). */
  sweepIntervalMs?: number | undefined;
  /** Backstop poll for new jobs; notices (LISTEN) normally wake the workers at once. */
  pollIntervalMs?: number | undefined;
}

const DEFAULT_SWEEP_MS = 5_000;
const DEFAULT_POLL_MS = 1_000;

/** What we store as graphile's payload; `origin` is the id a released job had before its copy. */
const Envelope = z.object({
  threadKey: z.string(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
  origin: z.string().optional(),
});
type Envelope = z.infer<typeof Envelope>;

/**
 * Connections of the queue's own pool, whatever the concurrency: a worker holds one only while it
 * fetches or finishes a job, so a few serve dozens of workers, and replicas stay within the server's
 * connection limit.
 */
const MAX_QUEUE_CONNECTIONS = 12;

/** Opens the queue on a Postgres server: graphile's schema is migrated here, workers start in `start`. */
export async function openGraphileQueue(options: GraphileQueueOptions): Promise<JobQueue> {
  const label = options.workerId ?? `${os.hostname()}-${process.pid}`;
  const applicationName = `octo-queue:${label}`.slice(0, 63);
  const workerSchema = workerSchemaFor(options.schema);
  const pool = new pg.Pool({
    connectionString: options.postgresUrl,
    // Graphile's LISTEN connection, one fetch per worker, and our own finishing statements.
    max: Math.min(options.concurrency + 4, MAX_QUEUE_CONNECTIONS),
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
  });
  // A connection dropped by the server must not crash the process; logged, and the next query retries.
  const lost = poolErrorReporter(options.logger, "queue");
  pool.on("error", lost);
  const notices = new MigrationNotices(
    pool,
    `${pg.escapeIdentifier(workerSchema)}.migrations`,
    options.logger,
  );
  pool.on("connect", (client) => {
    client.on("error", lost);
    notices.screen(client);
    retryWhenCut(client);
  });
  try {
    await migrate(pool, workerSchema, graphileLogger(options.logger));
    await notices.baseline();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new OctoError("store_unavailable", `cannot set up the job queue: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return new GraphileJobQueue(options, pool, workerSchema, applicationName);
}

/**
 * graphile-worker migrates itself, but two processes doing it at once on a fresh database race on
 * creating its schema; a session advisory lock makes the second wait and then find nothing to do.
 */
async function migrate(pool: pg.Pool, workerSchema: string, logger: GraphileLogger): Promise<void> {
  const key = livenessKey(`migrate:${workerSchema}`);
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1::bigint)", [key]);
    try {
      await runMigrations({ pgPool: pool, schema: workerSchema, logger });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]);
    }
  } finally {
    client.release();
  }
}

/** A job our handler no longer holds (its worker was taken for dead): graphile must not finish it. */
class JobLost extends Error {
  constructor(id: string) {
    super(`job ${id} is no longer held by this worker; leaving it to its new holder`);
  }
}

class GraphileJobQueue implements JobQueue {
  readonly kind = "graphile-worker";
  readonly concurrency: number;
  private readonly sql;
  private readonly runs: Runs;
  private readonly logger: Logger;
  private workerPool: WorkerPool | undefined;
  private lock: LivenessLock | undefined;
  private sweeper: Sweeper | undefined;
  private readonly scheduled: ScheduledTask[] = [];
  private cron: Runner | undefined;
  private readonly cronStop = new AbortController();
  private stopping: Promise<void> | undefined;
  private signalStopping!: () => void;
  private readonly stopSignal = new Promise<void>((resolve) => {
    this.signalStopping = resolve;
  });

  constructor(
    private readonly options: GraphileQueueOptions,
    private readonly pool: pg.Pool,
    private readonly workerSchema: string,
    private readonly applicationName: string,
  ) {
    this.concurrency = options.concurrency;
    this.sql = graphileSql(workerSchema);
    this.logger = options.logger;
    this.runs = new Runs(options.logger);
  }

  get running(): number {
    return this.runs.size;
  }

  async enqueue(job: NewJob, tx?: Queryable): Promise<string | undefined> {
    const envelope: Envelope = { threadKey: job.threadKey, kind: job.kind, payload: job.payload };
    const { rows } = await (tx ?? this.options.db).query<{ id: string; revision: number }>(this.sql.enqueue, [
      TASK_IDENTIFIER,
      JSON.stringify(envelope),
      queueName(job.threadKey),
      job.dedupeKey === undefined ? null : jobKey(job.dedupeKey),
      PRIORITY[job.priority ?? "normal"],
    ]);
    const row = rows[0];
    if (!row) throw new OctoError("internal", "add_job returned no job");
    return row.revision > 0 ? undefined : row.id;
  }

  async discard(threadKey: string): Promise<void> {
    await this.options.db.query(this.sql.discardQueue, [queueName(threadKey)]);
  }

  schedule(task: ScheduledTask): void {
    if (this.workerPool) throw new Error("schedule tasks before the queue starts");
    cronMatcherOf(task);
    this.scheduled.push(task);
  }

  async depth(threadKey: string): Promise<number> {
    const { rows } = await this.options.db.query<{ n: number }>(this.sql.depth, [queueName(threadKey)]);
    return rows[0]?.n ?? 0;
  }

  async backlog(): Promise<number> {
    const { rows } = await this.options.db.query<{ n: number }>(this.sql.backlog);
    return rows[0]?.n ?? 0;
  }

  async start(handler: JobHandler): Promise<void> {
    if (this.workerPool || this.stopping) throw new Error("a job queue starts once");
    let lockReady!: (lock: LivenessLock) => void;
    const lockCreated = new Promise<LivenessLock>((resolve) => {
      lockReady = resolve;
    });
    const workerPool = runTaskList(
      {
        pgPool: this.pool,
        schema: this.workerSchema,
        concurrency: this.concurrency,
        pollInterval: this.options.pollIntervalMs ?? DEFAULT_POLL_MS,
        // The process's own shutdown calls stop(); graphile must not install signal handlers.
        noHandleSignals: true,
        logger: graphileLogger(this.logger),
        // Awaited by graphile before every fetch: no job is taken unless our liveness lock is held, so
        // a sweeper never sees a job of ours while our lock looks free (except after a lost connection).
        forbiddenFlags: async () => {
          await Promise.race([lockCreated.then((lock) => lock.held()), this.stopSignal]);
          return null;
        },
      },
      { [TASK_IDENTIFIER]: (payload, helpers) => this.runJob(payload, helpers, handler) },
      this.pool,
    );
    this.workerPool = workerPool;
    workerPool.promise.catch((error) => {
      this.logger.error({ err: errorMessage(error) }, "the job queue's worker pool stopped with an error");
    });
    const lock = LivenessLock.create({
      connectionString: this.options.postgresUrl,
      applicationName: this.applicationName,
      workerId: workerPool.id,
      logger: this.logger,
    });
    this.lock = lock;
    lockReady(lock);
    await Promise.race([lock.held(), this.stopSignal]);
    this.sweeper = new Sweeper({
      lock,
      workerSchema: this.workerSchema,
      workerId: workerPool.id,
      intervalMs: this.options.sweepIntervalMs ?? DEFAULT_SWEEP_MS,
      logger: this.logger,
    });
    if (!this.stopping) this.sweeper.start();
    if (this.scheduled.length > 0 && !this.stopping) {
      this.cron = await this.startCron();
      this.cron.promise.catch((error: unknown) => {
        this.logger.error({ err: errorMessage(error) }, "the scheduled tasks' runner stopped with an error");
      });
    }
  }

  /**
   * Graphile's cron, on a runner of its own that takes only the scheduled tasks (one at a time): every
   * replica's cron adds the minute's job, graphile's known-crontabs row lets only the first through,
   * and the task's own queue and job key keep two runs from overlapping.
   */
  private startCron(): Promise<Runner> {
    const tasks = Object.fromEntries(
      this.scheduled.map((task) => [
        task.name,
        (_payload: unknown, helpers: JobHelpers) =>
          task.run(AbortSignal.any([helpers.abortSignal, this.cronStop.signal])),
      ]),
    );
    return run({
      pgPool: this.pool,
      schema: this.workerSchema,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: this.options.pollIntervalMs ?? DEFAULT_POLL_MS,
      logger: graphileLogger(this.logger),
      taskList: tasks,
      parsedCronItems: parseCronItems(
        this.scheduled.map((task) => ({
          task: task.name,
          match: task.cron,
          identifier: task.name,
          // A missed hour is not made up for: the next run covers it.
          options: { backfillPeriod: 0, maxAttempts: 1, queueName: task.name, jobKey: task.name },
        })),
      ),
    });
  }

  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.shutdown(graceMs);
    return this.stopping;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.signalStopping();
    this.cronStop.abort();
    await this.cron?.stop().catch((error: unknown) => {
      this.logger.warn({ err: errorMessage(error) }, "the scheduled tasks' runner stopped uncleanly");
    });
    await this.sweeper?.stop();
    const workerPool = this.workerPool;
    // Stops fetching at once, then waits for every worker's current job.
    const drained = workerPool
      ? Promise.resolve(workerPool.gracefulShutdown("the job queue is stopping")).catch((error) => {
          this.logger.warn({ err: errorMessage(error) }, "the job queue's worker pool stopped uncleanly");
        })
      : Promise.resolve();
    this.runs.abort();
    const timer = setTimeout(() => this.runs.expire(), graceMs);
    try {
      await drained;
    } finally {
      clearTimeout(timer);
      await this.lock?.close();
      await this.pool.end().catch(() => {});
    }
  }

  private async runJob(raw: unknown, helpers: JobHelpers, handler: JobHandler): Promise<void> {
    const row = helpers.job;
    const parsed = Envelope.safeParse(raw);
    if (!parsed.success) {
      this.logger.error({ jobId: row.id }, "a queued job has an unreadable payload; dropped");
      return this.settle(row, undefined, "failed");
    }
    const envelope = parsed.data;
    const job: QueuedJob = {
      id: envelope.origin ?? String(row.id),
      threadKey: envelope.threadKey,
      kind: envelope.kind,
      payload: envelope.payload,
      attempt: row.attempts,
      enqueuedAt: new Date(row.run_at),
    };
    if (!this.stopping) this.wakeIdleWorker();
    const outcome = this.stopping ? "release" : await this.runs.run(job, handler);
    return this.settle(row, { ...envelope, origin: job.id }, outcome);
  }

  /**
   * Graphile's fetch locks every available queue row for the length of its statement (`for update
   * skip locked`), so two workers fetching at the same moment leave the second empty-handed until its
   * next poll, with jobs waiting. A worker that got a job wakes one idle worker to look again, so a
   * burst fills every slot at once.
   */
  private wakeIdleWorker(): void {
    try {
      this.workerPool?.nudge(1);
    } catch {
      // The pool is shutting down: nobody is to look for work.
    }
  }

  /**
   * Finishes the job ourselves, checking we still hold it, so that graphile's own completion after our
   * task returns finds nothing left to do. When a statement fails, `done` falls back on graphile's
   * completion (same effect) and `release` on its failure path (the job comes back after a backoff).
   */
  private async settle(row: Job, envelope: Envelope | undefined, outcome: Outcome): Promise<void> {
    const workerId = this.workerPool?.id;
    const holder = [row.id, workerId, row.attempts];
    let held: boolean;
    if (outcome === "release" && envelope) {
      held = await this.release(holder, envelope);
    } else {
      try {
        const { rows } = await this.pool.query<{ removed: number; more: boolean }>(this.sql.finish, holder);
        held = (rows[0]?.removed ?? 0) > 0;
        if (rows[0]?.more) await this.pool.query(this.sql.notify, [newJobNotice()]);
      } catch (error) {
        this.logger.warn(
          { jobId: row.id, err: errorMessage(error) },
          "finishing a job failed; graphile retries",
        );
        return;
      }
    }
    if (!held) {
      this.logger.warn({ jobId: row.id, outcome }, "job taken over by another worker while it ran");
      throw new JobLost(row.id);
    }
  }

  private async release(holder: unknown[], envelope: Envelope): Promise<boolean> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const claimed = await client.query<{ key: string | null }>(this.sql.releaseClaim, holder);
      if (claimed.rowCount === 0) {
        await client.query("ROLLBACK");
        return false;
      }
      await client.query(this.sql.releaseCopy, [
        holder[0],
        holder[1],
        JSON.stringify(envelope),
        claimed.rows[0]?.key ?? null,
      ]);
      await client.query(this.sql.notify, [newJobNotice()]);
      await client.query("COMMIT");
      return true;
    } catch (error) {
      broken = error as Error;
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/**
 * Graphile's lines on our logger. Its `info` lines are one per job ("Completed task ..."): debug here.
 * Its metadata carries whole jobs, payloads included, so only an error's message is kept.
 */
function graphileLogger(logger: Logger): GraphileLogger {
  const log = logger.child({ component: "graphile-worker" });
  return new GraphileLogger(() => (level, message, meta) => {
    const err = meta?.error instanceof Error ? meta.error.message : undefined;
    const fields = err ? { err } : {};
    if (level === "error") log.error(fields, message);
    else if (level === "warning") log.warn(fields, message);
    else if (level === "info") log.debug(fields, message);
    else log.trace(fields, message);
  });
}

/** What pg says when the server or the network drops a connection under a query. */
const CUT = /Connection terminated|connection (?:was )?(?:ended|closed)|ECONNRESET|EPIPE/i;

/**
 * graphile-worker retries a statement only for the error codes it knows, and a connection cut under a
 * query comes from pg with none: marking a job done then rejects at once, unawaited inside graphile (an
 * unhandled rejection, which stops a Node process), and the job stays locked. Tagged as "cannot connect
 * now" (57P03), the statement waits and retries until the server is back, as the rest of the queue does.
 */
function retryWhenCut(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const pending = query(...args);
    if (!(pending instanceof Promise)) return pending;
    return pending.catch((error: unknown) => {
      if (error instanceof Error && !(error as { code?: unknown }).code && CUT.test(error.message))
        Object.assign(error, { code: "57P03" });
      throw error;
    });
  };
}
