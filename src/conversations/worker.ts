import { withLogFields } from "../log.js";
import type { JobHandler } from "../store/index.js";
import { decisionJob, expiryJob } from "./approvals.js";
import type { RunContext, ServiceCore } from "./core.js";
import type { RunEvent } from "./events.js";
import { type ThreadJob, ThreadJobSchema } from "./jobs.js";
import { resumeJob } from "./recovery.js";
import { RunEventFactory } from "./run-events.js";
import type { RunEnd } from "./thread-work.js";
import { turnJob } from "./turns.js";

/**
 * Runs the thread jobs this process takes from the queue: each job's run, its events to whoever reports
 * them (see RunRoutes) and into the run event log (see RunLog), and the job done only once they are delivered, so a crash before that runs it
 * again (a turn already under way is carried on, a finished one reported, never run twice). A run a
 * shutdown cut short goes back to the head of its thread's queue.
 */
export function jobHandler(core: ServiceCore): JobHandler {
  const handle = handler(core);
  // Every line the job writes, down to its model calls, tools and deliveries, names its run and thread.
  return (queued, signal) => {
    const runId = queued.payload.runId;
    const fields: Record<string, string> = { threadKey: queued.threadKey };
    if (typeof runId === "string") fields.runId = runId;
    return withLogFields(fields, () => handle(queued, signal));
  };
}

function handler(core: ServiceCore): JobHandler {
  return async (queued, signal) => {
    const parsed = ThreadJobSchema.safeParse(queued.payload);
    if (!parsed.success) {
      core.log.error(
        { jobId: queued.id, threadKey: queued.threadKey, kind: queued.kind, issues: parsed.error.issues },
        "dropped a job this version cannot read",
      );
      const runId = queued.payload.runId;
      if (typeof runId === "string") await core.runLog.jobEnded(runId).catch(() => {});
      return "done";
    }
    const job = parsed.data;
    if (queued.enqueuedAt)
      core.metrics.jobWaited(
        { kind: job.kind },
        Math.max(0, (Date.now() - queued.enqueuedAt.getTime()) / 1000),
      );
    // The session's format labels a decision's or a resumed run's counts; a turn carries its own.
    const format =
      job.kind === "turn"
        ? job.format
        : ((await core.store.sessions.get(job.threadKey).catch(() => undefined))?.format ?? "unknown");
    const { channel, delivered } = core.routes.open(job);
    // Tee: every event the job pushes goes to its reader and, in order, into the run event log.
    const logged = core.runLog.writer({ runId: job.runId, threadKey: job.threadKey, platform: job.platform });
    const sink = {
      push: (event: RunEvent) => {
        logged.push(event);
        channel.push(event);
      },
    };
    let end: RunEnd = "failed";
    try {
      end = await core.work.job(
        job.threadKey,
        sink,
        { signal, deadlineMs: core.settings.turnTimeoutMs },
        (runSignal) =>
          runJob(
            core,
            job,
            {
              threadKey: job.threadKey,
              runId: job.runId,
              locale: job.locale,
              requester: job.user,
              platform: job.platform,
              format,
              events: new RunEventFactory(job.threadKey, job.runId, job.locale),
              channel: sink,
              signal: runSignal,
            },
            queued.attempt,
          ),
      );
    } finally {
      channel.close();
    }
    await Promise.all([delivered, logged.close(end)]);
    core.log.debug({ jobId: queued.id, threadKey: job.threadKey, kind: job.kind, end }, "job ended");
    return end === "suspended" ? "release" : "done";
  };
}

function runJob(core: ServiceCore, job: ThreadJob, run: RunContext, attempt: number): Promise<RunEnd> {
  switch (job.kind) {
    case "turn":
      return turnJob(core, job, run, attempt);
    case "decision":
      return decisionJob(core, job, run, attempt);
    case "expiry":
      return expiryJob(core, run);
    case "resume":
      return resumeJob(core, run);
  }
}
