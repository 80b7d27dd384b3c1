import { t } from "../i18n/index.js";
import type { ApprovalRecord } from "../store/index.js";
import type { ApprovalDecision } from "../supervisor/types.js";
import { OctoError } from "../vocabulary/index.js";
import { approvalCardOf } from "./approval-card.js";
import { EventChannel } from "./channel.js";
import { approvalView, type RunContext, type ServiceCore } from "./core.js";
import { checkDecision, notPending, STATUS_OF_DECISION } from "./decision.js";
import type { RunEvent } from "./events.js";
import { driveOrRollBack, snapshot } from "./rollback.js";
import { errorEvent, RunEventFactory } from "./run-events.js";
import type { DecideInput, EventStream } from "./types.js";
import { validateDecision } from "./validation.js";

/**
 * A person's decision on an approval: checked (who, still pending, in time), recorded atomically, then
 * the paused run resumes with it, in the thread's queue.
 */
export function decideApproval(core: ServiceCore, approvalId: string, input: DecideInput): EventStream {
  const channel = new EventChannel<RunEvent>();
  void (async () => {
    const approval = await core.store.approvals.get(approvalId).catch(() => undefined);
    if (!approval) {
      core.log.warn({ approvalId, by: input.by }, "decision on an unknown approval");
      const where = { threadKey: input.threadKey ?? "", locale: "en" as const };
      channel.push(errorEvent(new OctoError("approval_unknown", approvalId), where));
      return;
    }
    await core.work.guarded(approval.threadId, channel, (signal) =>
      applyDecision(core, approvalId, input, channel, signal),
    );
  })()
    .catch((error: unknown) => core.log.error({ err: error, approvalId }, "decision failed"))
    .finally(() => channel.close());
  return channel;
}

async function applyDecision(
  core: ServiceCore,
  approvalId: string,
  input: DecideInput,
  channel: EventChannel<RunEvent>,
  signal: AbortSignal,
): Promise<void> {
  const approval = await core.store.approvals.get(approvalId);
  if (!approval) throw new OctoError("approval_unknown", approvalId);
  const run: RunContext = {
    threadKey: approval.threadId,
    runId: approval.runId,
    locale: approval.locale,
    requester: approval.requester,
    events: new RunEventFactory(approval.threadId, approval.runId, approval.locale),
    channel,
    signal,
  };
  const refuse = (error: OctoError) => {
    core.log.warn({ approvalId, by: input.by, kind: error.code }, "refused a decision");
    channel.push(run.events.error(error));
  };

  const verdict = checkDecision(approvalView(core, approval), input, new Date());
  if (!verdict.ok) {
    refuse(verdict.error);
    if (verdict.error.code === "approval_expired") await settleOverdueApprovals(core, run);
    return;
  }
  const checked = validateDecision(input, core.settings.maxInputChars);
  if (!checked.ok) return refuse(checked.error);

  const decided = await core.store.approvals.decide(
    approvalId,
    STATUS_OF_DECISION[input.decision],
    input.by,
    checked.editedTask,
  );
  if (!decided) {
    const now = await core.store.approvals.get(approvalId);
    return refuse(now ? notPending(now) : new OctoError("approval_unknown", approvalId));
  }
  channel.push(
    run.events.approvalDecided({
      approval_id: approvalId,
      step: approval.stepId,
      agent: approval.agent,
      task: approval.task,
      decision: input.decision,
      by: input.by,
      ...(checked.editedTask ? { edited_task: checked.editedTask } : {}),
      approval: approvalCardOf(approval),
    }),
  );
  core.log.info(
    { threadKey: run.threadKey, approvalId, decision: input.decision, by: input.by },
    "approval decided",
  );
  const payload: ApprovalDecision =
    input.decision === "edit"
      ? { decision: "edit", by: input.by, edited_task: checked.editedTask as string }
      : { decision: input.decision, by: input.by };
  channel.push(run.events.status("resuming"));
  // Taken before the status changes, so a resume that fails puts the session back to waiting.
  const before = await snapshot(core, run.threadKey);
  await core.store.sessions.setStatus(run.threadKey, "active");
  const resumed = await driveOrRollBack(
    core,
    run,
    (hooks) => core.runner.resume(run.threadKey, { [approval.interruptId]: payload }, hooks),
    before,
  );
  // A decision whose run failed did not take effect: let the person decide again. (One cut short by a
  // shutdown stands: the resumed run applies it.)
  if (!resumed && !core.work.closed) {
    const reopened = await core.store.approvals.reopen(approvalId);
    if (reopened) channel.push(run.events.approvalReopened(approvalCardOf(reopened)));
  }
}

/**
 * Approvals nobody decided in time count as rejected: the paused run resumes without those steps, so
 * the thread can move on. Returns false when the resume failed (its error was already reported).
 */
export async function settleOverdueApprovals(core: ServiceCore, run: RunContext): Promise<boolean> {
  const overdue = (await core.store.approvals.pending(run.threadKey)).filter(
    (approval) => approval.expiresAt.getTime() <= Date.now(),
  );
  if (overdue.length === 0) return true;
  const resume: Record<string, ApprovalDecision> = {};
  for (const approval of overdue) {
    if (!(await core.store.approvals.decide(approval.approvalId, "expired", "system"))) continue;
    resume[approval.interruptId] = {
      decision: "reject",
      by: "system",
      reason: t(approval.locale, "approval.expired_rejection"),
    };
  }
  if (Object.keys(resume).length === 0) return true;
  core.log.info({ threadKey: run.threadKey, expired: overdue.length }, "expired approvals count as rejected");
  const first = overdue[0] as ApprovalRecord;
  const resumed: RunContext = {
    ...run,
    runId: first.runId,
    requester: first.requester,
    events: new RunEventFactory(run.threadKey, first.runId, first.locale),
  };
  const before = await snapshot(core, run.threadKey);
  return driveOrRollBack(core, resumed, (hooks) => core.runner.resume(run.threadKey, resume, hooks), before);
}
