import type { RetryRequest, SessionRecord } from "../store/index.js";
import { errorMessage, isOctoError, OctoError } from "../vocabulary/index.js";
import type { RunContext, ServiceCore, StartRun } from "./core.js";
import { offerRetry } from "./retries.js";
import { drive } from "./run-drive.js";
import { type RunEnd, SHUTDOWN } from "./thread-work.js";

/** The thread as it was before a run: where its checkpoints and its session go back to if it fails. */
export interface Snapshot {
  checkpointId: string | undefined;
  /**
   * The pending writes `checkpointId` held (SupervisorRunner.mark). A resumed run writes onto that
   * checkpoint too, and a decision rolled back must leave nothing applied. Left out for a checkpoint
   * that ends a turn, which holds none.
   */
  writes?: readonly string[];
  session: SessionRecord | undefined;
}

export async function snapshot(core: ServiceCore, threadKey: string): Promise<Snapshot> {
  const mark = await core.runner.mark(threadKey);
  return {
    checkpointId: mark?.checkpointId,
    writes: mark?.writes,
    session: await core.store.sessions.get(threadKey),
  };
}

/**
 * Drives the run; if anything fails the thread goes back to `before` and the person is told, with a
 * retry when `retry` says how to send the request again and a retry may help. A run stopped because
 * the process is shutting down is left as it is instead (its session stays active, the person is told
 * it will continue): its job goes back to the queue and another process, or this one after a restart,
 * carries it on.
 */
export async function driveOrRollBack(
  core: ServiceCore,
  run: RunContext,
  start: StartRun,
  before: Snapshot,
  retry?: { platform: string; request: RetryRequest },
): Promise<RunEnd> {
  try {
    await drive(core, run, start);
    return "finished";
  } catch (error) {
    // An aborted stream ends before LangGraph's last background writes land; let them, first.
    await core.runner.settle(run.threadKey);
    const aborted = run.signal.aborted;
    if (aborted && isOctoError(run.signal.reason, "restarting")) {
      core.log.info(
        { threadKey: run.threadKey, runId: run.runId },
        "run suspended by shutdown; resumes at restart",
      );
      await core.store.sessions.setStatus(run.threadKey, "active").catch(() => {});
      run.channel.push(run.events.error(SHUTDOWN()));
      return "suspended";
    }
    const cause = aborted ? (run.signal.reason ?? error) : error;
    core.log.error(
      { err: error, threadKey: run.threadKey, runId: run.runId, aborted },
      "run failed; rolling back",
    );
    await rollBack(core, run.threadKey, before).catch((rollbackError: unknown) => {
      core.log.error({ err: rollbackError, threadKey: run.threadKey }, "rollback failed");
      return core.store.sessions.settle(run.threadKey, "failed", before.session?.turns ?? 0);
    });
    const runError = asRunError(cause);
    const retryId =
      isRetryable(runError) && retry && (!aborted || isOctoError(cause, "turn_timeout"))
        ? await offerRetry(core, run, retry)
        : undefined;
    run.channel.push(run.events.error(runError, retryId));
    core.metrics.runEnded({ platform: run.platform, format: run.format, outcome: "failed" });
    return "failed";
  }
}

async function rollBack(core: ServiceCore, threadKey: string, before: Snapshot): Promise<void> {
  await core.runner.truncate(threadKey, before.checkpointId, before.writes);
  await core.store.sessions.restore(threadKey, before.session);
}

/** Whether a retry button could help: the error's own say, or an unexpected error that may be transient. */
function isRetryable(error: unknown): boolean {
  return isOctoError(error) ? error.retryable : true;
}

/** Anything that is not already one of our coded errors reaches a person as a generic failed run. */
function asRunError(error: unknown): unknown {
  if (error instanceof OctoError || (error as { name?: string })?.name === "OctoError") return error;
  if ((error as { name?: string })?.name === "AbortError")
    return new OctoError("llm_aborted", errorMessage(error));
  return new OctoError("run_failed", errorMessage(error), { cause: error });
}
