import { t } from "../i18n/index.js";
import type { ApprovalRecord } from "../store/index.js";
import type { ApprovalAsked } from "../supervisor/index.js";
import type { ApprovalDecision } from "../supervisor/types.js";
import { OctoError } from "../vocabulary/index.js";
import { approvalCardOf } from "./approval-card.js";
import type { RunContext, ServiceCore, StartRun } from "./core.js";
import { progressEvents } from "./run-events.js";

/**
 * Runs the graph for one run and streams its events: progress as it moves, approval cards as steps ask,
 * then the result, or the pause for approvals. Throws when the run fails; see `driveOrRollBack`.
 */
export async function drive(core: ServiceCore, run: RunContext, start: StartRun): Promise<void> {
  const outcome = await start({
    signal: run.signal,
    onProgress: (progress) => {
      for (const event of progressEvents(progress, run.events)) run.channel.push(event);
    },
    onApproval: (asked) => registerApproval(core, run, asked),
  });
  if (outcome.status === "paused") {
    const pending = await core.store.approvals.pending(run.threadKey);
    if (pending.length === 0)
      throw new OctoError("run_failed", `run stopped before ${outcome.waitingOn.join(", ")}`);
    await core.store.sessions.settle(run.threadKey, "waiting_human", outcome.turns);
    core.metrics.runEnded({ platform: run.platform, format: run.format, outcome: "paused" });
    run.channel.push(run.events.status("waiting_approval"));
    return;
  }
  const { result } = outcome;
  await core.store.sessions.settle(run.threadKey, "completed", outcome.turns);
  core.log.info(
    {
      threadKey: run.threadKey,
      runId: run.runId,
      steps: result.aggregated_data.execution_summary,
      usage: result.usage,
    },
    "turn completed",
  );
  core.metrics.runEnded({ platform: run.platform, format: run.format, outcome: "completed" });
  run.channel.push(run.events.status("done"));
  run.channel.push({ ...run.events.result(result), runId: outcome.runId ?? run.runId });
}

/**
 * Stores and announces a step's approval request. Returns the decision already taken when the request
 * was decided before (the process stopped between accepting it and the graph recording it).
 */
async function registerApproval(
  core: ServiceCore,
  run: RunContext,
  { interruptId, request }: ApprovalAsked,
): Promise<ApprovalDecision | undefined> {
  const { record, created } = await core.store.approvals.create({
    approvalId: request.approval_id,
    threadId: run.threadKey,
    runId: run.runId,
    interruptId,
    stepId: request.step,
    agent: request.agent,
    task: request.task,
    reason: request.reason,
    requester: run.requester,
    locale: run.locale,
    ttlSeconds: core.settings.approvalTtlSeconds,
  });
  if (!created) return decisionOf(record);
  core.metrics.approvalRequested({ agent: record.agent });
  core.log.info(
    { threadKey: run.threadKey, approvalId: record.approvalId, step: record.stepId },
    "approval requested",
  );
  run.channel.push(run.events.approvalRequested(approvalCardOf(record)));
  return undefined;
}

/** The decision a decided approval stands for, as the graph takes it; undefined while pending. */
function decisionOf(approval: ApprovalRecord): ApprovalDecision | undefined {
  const by = approval.decidedBy ?? "system";
  switch (approval.status) {
    case "approved":
      return { decision: "approve", by };
    case "edited":
      return approval.editedTask
        ? { decision: "edit", by, edited_task: approval.editedTask }
        : { decision: "approve", by };
    case "rejected":
      return { decision: "reject", by };
    case "expired":
    case "cancelled":
      return { decision: "reject", by: "system", reason: t(approval.locale, "approval.expired_rejection") };
    default:
      return undefined;
  }
}
