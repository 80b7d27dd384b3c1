import type { Queryable } from "../database.js";
import type { ScheduledTask } from "./schedule.js";

/**
 * The per-thread job queue every unit of work on a conversation goes through (a new message, a decision,
 * a retry, a run carried on after a crash or a deploy). Jobs of one thread run strictly one at a time, in
 * the order they were added; different threads run concurrently, up to the queue's concurrency, on any
 * process attached to the same database. On Postgres it is graphile-worker; on embedded PGlite (one
 * process) an in-process implementation with the same behaviour passes the same conformance tests.
 */
export interface NewJob {
  /** The conversation's thread key; it names the job's queue. */
  threadKey: string;
  /** What the job does ("turn", "decision", "resume", ...); the handler dispatches on it. */
  kind: string;
  payload: Record<string, unknown>;
  /**
   * `first`: work cut short by a shutdown or a crash, carried on before messages queued behind it. A
   * job the queue itself puts back (released, or taken back from a dead worker) goes before both.
   */
  priority?: "normal" | "first" | undefined;
  /**
   * While a job with this key waits or runs, adding another with the same key adds nothing (start-up
   * takeover); once it is finished the key is free again.
   */
  dedupeKey?: string | undefined;
}

export interface QueuedJob {
  /** The id `enqueue` returned; the same when the job runs again after a release or a crash. */
  id: string;
  threadKey: string;
  kind: string;
  payload: Record<string, unknown>;
  /** 1 on the first run; more when the worker that ran it before died or was stopped. */
  attempt: number;
  /** When the job was added (or became runnable again): the queue wait it had is measured from it. */
  enqueuedAt?: Date | undefined;
}

/**
 * Runs one job. `done`: the job is finished and removed. `release`: the job was cut short (the signal was
 * aborted because the process is stopping) and goes back at the head of its thread at once, for any
 * process to take. A handler that throws has its job dropped with a log line (handlers report failures
 * to people themselves; an automatic retry would run a person's request twice).
 */
export type JobHandler = (job: QueuedJob, signal: AbortSignal) => Promise<"done" | "release">;

export interface JobQueue {
  readonly kind: "graphile-worker" | "in-process";
  /**
   * Adds a job. Inside `tx` when given, so the caller's own writes (the platform event's dedupe claim,
   * a decision) and the job commit or roll back together. Resolves with the job's id, or undefined when
   * `dedupeKey` matched a waiting job.
   */
  enqueue(job: NewJob, tx?: Queryable): Promise<string | undefined>;
  /**
   * Runs `task` on its schedule from `start` on, at most one run at a time across every process on the
   * database. Call before `start`.
   */
  schedule(task: ScheduledTask): void;
  /** Starts taking jobs for `handler`; call once. */
  start(handler: JobHandler): Promise<void>;
  /**
   * Stops taking jobs, aborts the signals of the jobs in flight and waits up to `graceMs` for their
   * handlers; jobs still running after that are released as if their handlers had said `release`.
   */
  stop(graceMs: number): Promise<void>;
  /** Drops what the queue keeps of a thread with no job left (graphile's named queue row). */
  discard(threadKey: string): Promise<void>;
  /** Jobs of the thread waiting or running, on any process. */
  depth(threadKey: string): Promise<number>;
  /** Jobs of every thread waiting or running, on any process (the queue-depth gauge, read at scrape). */
  backlog(): Promise<number>;
  /** Jobs running in this process now. */
  readonly running: number;
  /** The most jobs this process runs at once (OCTO_CONCURRENCY). */
  readonly concurrency: number;
}
