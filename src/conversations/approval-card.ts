import type { ApprovalRecord } from "../store/index.js";
import type { ApprovalCard } from "./events.js";

/** What a person sees of a stored approval (event, card, prompt): everything but its internal ids. */
export function approvalCardOf(
  record: Pick<
    ApprovalRecord,
    "approvalId" | "stepId" | "agent" | "task" | "reason" | "requester" | "expiresAt"
  >,
): ApprovalCard {
  return {
    approval_id: record.approvalId,
    step: record.stepId,
    agent: record.agent,
    task: record.task,
    reason: record.reason,
    requester: record.requester,
    expires_at: record.expiresAt.toISOString(),
  };
}
