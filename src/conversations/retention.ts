import type { ScheduledTask } from "../store/index.js";
import type { ServiceCore } from "./core.js";
import { deleteThreadData } from "./threads.js";

/** The scheduled prune: every hour at minute 17 (UTC), off the top of the hour other jobs crowd. */
export const RETENTION_TASK = "octo_retention";
const RETENTION_CRON = "17 * * * *";
const DAY_MS = 86_400_000;

export interface PruneOptions {
  /** Conversations with nothing since this many days are deleted. */
  olderThanDays: number;
  /** Threads looked at, and expired rows deleted, per statement (default 100). */
  batchSize?: number | undefined;
  /** Stops between threads (a shutdown); what is left goes at the next run. */
  signal?: AbortSignal | undefined;
  /** The present, for tests. */
  now?: Date | undefined;
}

export interface PruneReport {
  /** Conversations deleted. */
  threads: number;
  /** Idle conversations kept because the job queue still holds work for them. */
  busy: number;
  /** Rows that lapsed on their own, per table. */
  expired: Record<string, number>;
}

/**
 * Deletes the conversations idle for `olderThanDays` (every row of theirs, as `/forget` does) and the
 * rows that lapse by themselves. A conversation with a run under way, waiting for an approval, or with
 * a job queued is never touched, however old. Threads go a batch at a time, each deleted on its own
 * after a last look under the thread's local lock, so the prune never holds a busy table for long.
 */
export async function pruneIdleConversations(core: ServiceCore, options: PruneOptions): Promise<PruneReport> {
  const batchSize = Math.max(1, Math.trunc(options.batchSize ?? 100));
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * DAY_MS);
  const report: PruneReport = { threads: 0, busy: 0, expired: {} };
  let after: string | undefined = "";
  while (after !== undefined && !options.signal?.aborted) {
    const batch = await core.store.retention.threadsAfter(after, batchSize);
    for (const threadKey of await core.store.retention.idleSince(batch.keys, cutoff)) {
      if (options.signal?.aborted) break;
      const outcome = await pruneThread(core, threadKey, cutoff);
      if (outcome === "pruned") report.threads += 1;
      else if (outcome === "busy") report.busy += 1;
    }
    after = batch.next;
  }
  if (!options.signal?.aborted) {
    report.expired.octo_processed_events = await core.store.processedEvents.prune(batchSize, options.signal);
    Object.assign(report.expired, await core.store.retention.pruneExpired(cutoff, batchSize, options.signal));
  }
  return report;
}

/** One idle thread, looked at again after any work of it here: it may have come back meanwhile. */
function pruneThread(
  core: ServiceCore,
  threadKey: string,
  cutoff: Date,
): Promise<"pruned" | "busy" | "kept"> {
  return core.work.run(threadKey, async () => {
    if ((await core.queue.depth(threadKey)) > 0) return "busy";
    const still = await core.store.retention.idleSince([threadKey], cutoff);
    if (still.length === 0) return "kept";
    await deleteThreadData(core, threadKey);
    return "pruned";
  });
}

/** The queue's scheduled task running the prune with the configured retention; one line per run. */
export function retentionTask(core: ServiceCore, days: number): ScheduledTask {
  return {
    name: RETENTION_TASK,
    cron: RETENTION_CRON,
    run: async (signal) => {
      const report = await pruneIdleConversations(core, { olderThanDays: days, signal });
      core.log.info({ retentionDays: days, ...report }, "pruned idle conversations");
    },
  };
}
