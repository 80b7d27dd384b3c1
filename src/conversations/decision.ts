import { t } from "../i18n/index.js";
import { OctoError } from "../vocabulary/index.js";
import type { ApprovalStatus, ApprovalView } from "./views.js";

type Decision = "approve" | "reject" | "edit";

/** The stored status a decision leaves an approval in. */
export const STATUS_OF_DECISION = {
  approve: "approved",
  reject: "rejected",
  edit: "edited",
} as const satisfies Record<Decision, ApprovalStatus>;

/** The decision a settled approval shows as; expired and cancelled ones did not run, as if rejected. */
export const DECISION_OF_STATUS = {
  approved: "approve",
  edited: "edit",
  rejected: "reject",
  expired: "reject",
  cancelled: "reject",
} as const satisfies Record<Exclude<ApprovalStatus, "pending">, Decision>;

/** Who is deciding: the platform user, and the approver group the adapter checked they belong to. */
export interface Decider {
  by: string;
  approvedVia?: string | undefined;
}

export type DecisionCheck = { ok: true } | { ok: false; error: OctoError };

/**
 * Whether `who` may decide `approval` at `now`. Pure, so an adapter can ask before opening a form and
 * the service applies the very same rule (and words) when the decision arrives.
 */
export function checkDecision(
  approval: Pick<ApprovalView, "requester" | "approvers" | "status" | "decidedBy" | "locale" | "expiresAt">,
  who: Decider,
  now: Date,
): DecisionCheck {
  const allowed =
    who.by === approval.requester ||
    approval.approvers.includes(who.by) ||
    (who.approvedVia !== undefined && approval.approvers.includes(who.approvedVia));
  if (!allowed) {
    return {
      ok: false,
      error: new OctoError("approval_not_allowed", "not allowed", {
        params: { requester: approval.requester },
      }),
    };
  }
  if (approval.status !== "pending") return { ok: false, error: notPending(approval) };
  if (approval.expiresAt.getTime() <= now.getTime()) {
    return {
      ok: false,
      error: new OctoError("approval_expired", "expired", {
        params: { expires_at: approval.expiresAt.toISOString() },
      }),
    };
  }
  return { ok: true };
}

/** The refusal for an approval somebody (or the clock) already decided, naming who and how. */
export function notPending(approval: Pick<ApprovalView, "status" | "decidedBy" | "locale">): OctoError {
  const decision = approval.status === "pending" ? "reject" : DECISION_OF_STATUS[approval.status];
  return new OctoError("approval_not_pending", `approval is ${approval.status}`, {
    params: {
      decision:
        approval.status === "expired" || approval.status === "cancelled"
          ? approval.status
          : t(approval.locale, `decision.${decision}`),
      by: approval.decidedBy ?? "-",
    },
  });
}
