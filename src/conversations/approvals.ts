import { t } from "../i18n/index.js";
import { type ApprovalRecord, ApprovalStore, SessionStore } from "../store/index.js";
import type { ApprovalDecision } from "../supervisor/types.js";
import { OctoError } from "../vocabulary/index.js";
import { approvalCardOf } from "./approval-card.js";
import { EventChannel } from "./channel.js";
import { approvalView, type RunContext, type ServiceCore } from "./core.js";
import { checkDecision, notPending, STATUS_OF_DECISION } from "./decision.js";
import type { RunEvent } from "./events.js";
import type { DecisionJob } from "./jobs.js";
import { carryOn } from "./recovery.js";
import { driveOrRollBack, snapshot } from "./rollback.js";
import { errorEvent, RunEventFactory } from "./run-events.js";
import { followIdFor, submitJob } from "./submit.js";
import type { RunEnd } from "./thread-work.js";
import { type DecideInput, type EventStream, PLATFORMS, type Platform, type SubmitOptions } from "./types.js";
import { validateDecision } from "./validation.js";

/**
 * A person's decision on an approval: checked (who, still pending, in time), then recorded, with the
 * session marked active and the job that resumes the paused run, in one transaction: a decision is
 * never recorded without its run going on. Refusals come back on the stream at once; the resumed run's
 * events follow when `follow`, else its thread's deliverer reports them.
 */
export function decideApproval(
  core: ServiceCore,
  approvalId: string,
  input: DecideInput,
  options: SubmitOptions = {},
): EventStream {
  const channel = new EventChannel<RunEvent>();
  void applyDecision(core, approvalId, input, channel, options)
    .catch((error: unknown) => {
      core.log.error({ err: error, approvalId }, "decision failed");
      channel.push(errorEvent(error, { threadKey: input.threadKey ?? "", locale: "en" }));
    })
    .finally(() => channel.close());
  return channel;
}

async function applyDecision(
  core: ServiceCore,
  approvalId: string,
  input: DecideInput,
  channel: EventChannel<RunEvent>,
  options: SubmitOptions,
): Promise<void> {
  const approval = await core.store.approvals.get(approvalId);
  if (!approval) {
    core.log.warn({ approvalId, by: input.by }, "decision on an unknown approval");
    const where = { threadKey: input.threadKey ?? "", locale: "en" as const };
    channel.push(errorEvent(new OctoError("approval_unknown", approvalId), where));
    return;
  }
  const events = new RunEventFactory(approval.threadId, approval.runId, approval.locale);
  const job = {
    platform: platformOf(approval.threadId),
    threadKey: approval.threadId,
    runId: approval.runId,
    user: approval.requester,
    locale: approval.locale,
    quiet: false,
    followId: followIdFor(options),
  };
  const refuse = (error: OctoError) => {
    core.log.warn({ approvalId, by: input.by, kind: error.code }, "refused a decision");
    channel.push(events.error(error));
  };

  const verdict = checkDecision(approvalView(core, approval), input, new Date());
  if (!verdict.ok) {
    refuse(verdict.error);
    // The thread still waits on it: the overdue approvals are settled as its own job, reported in the thread.
    if (verdict.error.code === "approval_expired")
      await submitJob(core, { ...job, kind: "expiry" }, channel, {
        dedupeKey: `expiry:${approval.threadId}`,
      });
    return;
  }
  const checked = validateDecision(input, core.settings.maxInputChars);
  if (!checked.ok) return refuse(checked.error);

  // Where a resume that fails goes back to: the paused checkpoint with only the writes it has now.
  const paused = await core.runner.mark(approval.threadId);
  const decision = {
    ...job,
    kind: "decision" as const,
    approvalId,
    interruptId: approval.interruptId,
    decision: input.decision,
    by: input.by,
    ...(checked.editedTask ? { editedTask: checked.editedTask } : {}),
    pausedWrites: paused ? [...paused.writes] : [],
    ...(paused ? { pausedAt: paused.checkpointId } : {}),
  };
  const decidedEvent = events.approvalDecided({
    approval_id: approvalId,
    step: approval.stepId,
    agent: approval.agent,
    task: approval.task,
    decision: input.decision,
    by: input.by,
    ...(checked.editedTask ? { edited_task: checked.editedTask } : {}),
    approval: approvalCardOf(approval),
  });
  const run = { runId: approval.runId, threadKey: approval.threadId, platform: job.platform };
  const added = await submitJob(core, decision, channel, {
    with: async (tx) => {
      const decided = await new ApprovalStore(tx).decide(
        approvalId,
        STATUS_OF_DECISION[input.decision],
        input.by,
        checked.editedTask,
      );
      if (!decided) return false;
      await new SessionStore(tx).setStatus(approval.threadId, "active");
      // In the run's log before anything the resumed run writes, and only if the decision stands.
      await core.runLog.append(run, [decidedEvent], tx);
      return true;
    },
    beforeRun: async () => {
      core.runLog.notify(run.runId);
      options.onRun?.(run.runId);
      channel.push(decidedEvent);
      core.metrics.approvalDecided({ decision: input.decision });
      core.log.info(
        { threadKey: approval.threadId, approvalId, decision: input.decision, by: input.by },
        "approval decided",
      );
    },
  });
  if (!added) {
    const now = await core.store.approvals.get(approvalId);
    refuse(now ? notPending(now) : new OctoError("approval_unknown", approvalId));
  }
}

/** The job of a decision already recorded: the paused run resumes with it. */
export async function decisionJob(
  core: ServiceCore,
  job: DecisionJob,
  run: RunContext,
  attempt: number,
): Promise<RunEnd> {
  if (attempt > 1) {
    const head = await core.runner.current(job.threadKey);
    if (head?.complete && head.turn?.run_id === job.runId) return carryOn(core, run, head);
  }
  const session = await core.store.sessions.get(job.threadKey);
  // A resume that fails puts the thread back as it was: paused, waiting for this (reopened) decision.
  const mark = job.pausedAt
    ? { checkpointId: job.pausedAt, writes: job.pausedWrites }
    : await core.runner.mark(job.threadKey);
  const before = {
    checkpointId: mark?.checkpointId,
    writes: mark?.writes,
    session: session ? { ...session, status: "waiting_human" as const } : undefined,
  };
  const payload: ApprovalDecision =
    job.decision === "edit"
      ? { decision: "edit", by: job.by, edited_task: job.editedTask ?? "" }
      : { decision: job.decision, by: job.by };
  run.channel.push(run.events.status("resuming"));
  // A second attempt carries on from the last checkpoint: the step asks again and its recorded decision
  // is applied (see registerApproval), or it had already gone past it.
  const decisions = attempt > 1 ? undefined : { [job.interruptId]: payload };
  const end = await driveOrRollBack(
    core,
    run,
    (hooks) => core.runner.resume(run.threadKey, decisions, hooks),
    before,
  );
  // A decision whose run failed did not take effect: let the person decide again.
  if (end === "failed") {
    const reopened = await core.store.approvals.reopen(job.approvalId);
    if (reopened) run.channel.push(run.events.approvalReopened(approvalCardOf(reopened)));
  }
  return end;
}

/** The job that settles a thread's overdue approvals (see settleOverdueApprovals). */
export async function expiryJob(core: ServiceCore, run: RunContext): Promise<RunEnd> {
  return (await settleOverdueApprovals(core, run)) ? "finished" : "failed";
}

/**
 * Approvals nobody decided in time count as rejected: the paused run resumes without those steps, so
 * the thread can move on. Resolves with the approvals still pending afterwards, or undefined when the
 * resume failed (its error was already reported).
 */
export async function settleOverdueApprovals(
  core: ServiceCore,
  run: RunContext,
): Promise<ApprovalRecord[] | undefined> {
  const pending = await core.store.approvals.pending(run.threadKey);
  const overdue = pending.filter((approval) => approval.expiresAt.getTime() <= Date.now());
  if (overdue.length === 0) return pending;
  const resume: Record<string, ApprovalDecision> = {};
  for (const approval of overdue) {
    if (!(await core.store.approvals.decide(approval.approvalId, "expired", "system"))) continue;
    resume[approval.interruptId] = {
      decision: "reject",
      by: "system",
      reason: t(approval.locale, "approval.expired_rejection"),
    };
  }
  core.metrics.approvalsExpired(Object.keys(resume).length);
  if (Object.keys(resume).length === 0) return core.store.approvals.pending(run.threadKey);
  core.log.info({ threadKey: run.threadKey, expired: overdue.length }, "expired approvals count as rejected");
  const first = overdue[0] as ApprovalRecord;
  const resumed: RunContext = {
    ...run,
    runId: first.runId,
    requester: first.requester,
    events: new RunEventFactory(run.threadKey, first.runId, first.locale),
  };
  const before = await snapshot(core, run.threadKey);
  const end = await driveOrRollBack(
    core,
    resumed,
    (hooks) => core.runner.resume(run.threadKey, resume, hooks),
    before,
  );
  // The resumed run may have stopped at new approvals of its own.
  return end === "finished" ? core.store.approvals.pending(run.threadKey) : undefined;
}

/** The platform a thread key belongs to (its first part: `slack:T1:C1:1.2` is Slack's). */
function platformOf(threadKey: string): Platform {
  const prefix = threadKey.split(":")[0] as Platform;
  return PLATFORMS.includes(prefix) ? prefix : "console";
}
