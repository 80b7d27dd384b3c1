import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { isConnectionLost, type Queryable } from "../store/index.js";
import type { EventChannel } from "./channel.js";
import type { ServiceCore } from "./core.js";
import type { RunEvent } from "./events.js";
import type { ThreadJob } from "./jobs.js";
import type { SubmitOptions } from "./types.js";

export interface Enqueue {
  /** Writes that must commit with the job (a dedupe claim, a decision); returning false adds nothing. */
  with?: (tx: Queryable) => Promise<boolean>;
  priority?: "normal" | "first";
  dedupeKey?: string;
  /**
   * Called once when the database cannot be reached: the job is then added as soon as it is back
   * (see STORE_RETRY_WINDOW_MS); without it a lost connection fails the submission at once.
   */
  onStoreRetrying?: () => void;
}

/** How long a request waits in memory for an unreachable database before it is given up (and said so). */
export const STORE_RETRY_WINDOW_MS = 10 * 60_000;
const STORE_RETRY_MAX_DELAY_MS = 15_000;

/**
 * Adds a thread job in one transaction with the writes it stands for, so an accepted request is never
 * lost and a redelivered one never runs twice. Resolves false when `with` refused (a duplicate event,
 * a decision already taken), true otherwise.
 */
export async function enqueueJob(core: ServiceCore, job: ThreadJob, options: Enqueue = {}): Promise<boolean> {
  core.submitted.add(job.threadKey);
  // One commit at a time per thread here, so messages sent in a row queue in the order they were sent.
  return core.intake.run(job.threadKey, () => untilStored(core, () => addJob(core, job, options), options));
}

/**
 * Runs `write` again, with a growing pause, while the database cannot be reached (a Postgres restart or
 * failover, a network cut), within STORE_RETRY_WINDOW_MS and until the service closes; any other
 * failure is thrown at once.
 */
async function untilStored<T>(core: ServiceCore, write: () => Promise<T>, options: Enqueue): Promise<T> {
  const started = Date.now();
  let delay = 500;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const value = await write();
      if (attempt > 1) core.log.info({ attempts: attempt }, "database back: the held request is kept");
      return value;
    } catch (error) {
      const retrying = options.onStoreRetrying && isConnectionLost(error);
      if (!retrying || core.closing.aborted || Date.now() - started + delay > STORE_RETRY_WINDOW_MS)
        throw error;
      if (attempt === 1) {
        core.log.warn({ err: error }, "database unreachable: holding a request until it is back");
        options.onStoreRetrying?.();
      }
      await sleep(delay, undefined, { signal: core.closing }).catch(() => undefined);
      delay = Math.min(delay * 2, STORE_RETRY_MAX_DELAY_MS);
    }
  }
}

function addJob(core: ServiceCore, job: ThreadJob, options: Enqueue): Promise<boolean> {
  return core.store.db.transaction(async (tx) => {
    if (options.with && !(await options.with(tx))) return false;
    const added = await core.queue.enqueue(
      {
        threadKey: job.threadKey,
        kind: job.kind,
        payload: job as unknown as Record<string, unknown>,
        priority: options.priority,
        dedupeKey: options.dedupeKey,
      },
      tx,
    );
    // The run's followers keep following while it has a job waiting or running (see RunLog.follow).
    if (added !== undefined)
      await core.runLog.jobAdded(tx, { runId: job.runId, threadKey: job.threadKey, platform: job.platform });
    return true;
  });
}

/** A follow id for a job whose events the caller reads, or undefined when the deliverer reports them. */
export function followIdFor(options: SubmitOptions): string | undefined {
  return options.follow === false ? undefined : `follow_${randomUUID()}`;
}

/**
 * Submits `job` and, when it is followed, copies its events into `channel` as it runs here. Resolves
 * with whether it was added (see enqueueJob).
 */
export async function submitJob(
  core: ServiceCore,
  job: ThreadJob,
  channel: EventChannel<RunEvent>,
  options: Enqueue & { beforeRun?: () => Promise<void> } = {},
): Promise<boolean> {
  const followed = job.followId ? core.routes.follow(job.followId, job) : undefined;
  try {
    if (!(await enqueueJob(core, job, options))) {
      if (job.followId) core.routes.unfollow(job.followId);
      return false;
    }
  } catch (error) {
    if (job.followId) core.routes.unfollow(job.followId);
    throw error;
  }
  await options.beforeRun?.();
  if (followed) for await (const event of followed) channel.push(event);
  return true;
}

/** True when the job just added waits: behind other work of its thread, or for a free worker here. */
export async function waits(core: ServiceCore, threadKey: string): Promise<boolean> {
  if (core.queue.running >= core.queue.concurrency) return true;
  return busyBeyond(core, threadKey, 1, 2);
}

/**
 * True while the thread holds more than `own` jobs, waiting or running, on any process. A job that just
 * finished leaves its row for a moment, so only what is still there after `looks` looks counts.
 */
export async function busyBeyond(
  core: ServiceCore,
  threadKey: string,
  own: number,
  looks: number,
): Promise<boolean> {
  for (let look = 1; ; look += 1) {
    if ((await core.queue.depth(threadKey)) <= own) return false;
    if (look >= looks) return true;
    await sleep(LOOK_MS);
  }
}

const LOOK_MS = 50;
