import type { ApprovalCard } from "./events.js";
import type { ApprovalView } from "./views.js";

/** What a person sees of an approval (event, card, prompt): everything but its internal ids. */
export function approvalCardOf(
  approval: Pick<
    ApprovalView,
    "approvalId" | "stepId" | "agent" | "task" | "reason" | "requester" | "expiresAt"
  >,
): ApprovalCard {
  return {
    approval_id: approval.approvalId,
    step: approval.stepId,
    agent: approval.agent,
    task: approval.task,
    reason: approval.reason,
    requester: approval.requester,
    expires_at: approval.expiresAt.toISOString(),
  };
}
