import { describe, expect, it } from "vitest";
import { type ApprovalView, checkDecision } from "../../src/conversations/index.js";

const NOW = new Date("2026-12-01T10:00:00Z");

function approval(overrides: Partial<ApprovalView> = {}): ApprovalView {
  return {
    approvalId: "ap_1",
    threadKey: "console:t",
    runId: "run_1",
    stepId: 1,
    agent: "contract",
    task: "draft an NDA",
    reason: "contracts need a person",
    requester: "alice",
    approvers: ["boss", "S0LEGAL"],
    locale: "en",
    status: "pending",
    decidedBy: undefined,
    decidedAt: undefined,
    editedTask: undefined,
    createdAt: new Date("2026-12-01T09:00:00Z"),
    expiresAt: new Date("2026-12-01T11:00:00Z"),
    ...overrides,
  };
}

function codeOf(check: ReturnType<typeof checkDecision>): string | undefined {
  return check.ok ? undefined : check.error.code;
}

describe("checkDecision", () => {
  it("lets the requester and a listed approver decide", () => {
    expect(checkDecision(approval(), { by: "alice" }, NOW)).toEqual({ ok: true });
    expect(checkDecision(approval(), { by: "boss" }, NOW)).toEqual({ ok: true });
  });

  it("lets a member of a listed approver group decide, as vouched for by the adapter", () => {
    expect(checkDecision(approval(), { by: "carol", approvedVia: "S0LEGAL" }, NOW)).toEqual({ ok: true });
    // A group that is not in the approvers list vouches for nobody.
    expect(codeOf(checkDecision(approval(), { by: "carol", approvedVia: "S0OTHER" }, NOW))).toBe(
      "approval_not_allowed",
    );
  });

  it("refuses anyone else, naming the requester", () => {
    const check = checkDecision(approval(), { by: "mallory" }, NOW);
    expect(codeOf(check)).toBe("approval_not_allowed");
    expect(!check.ok && check.error.params).toEqual({ requester: "alice" });
  });

  it("refuses a decided approval, saying how and by whom", () => {
    const check = checkDecision(approval({ status: "approved", decidedBy: "boss" }), { by: "alice" }, NOW);
    expect(codeOf(check)).toBe("approval_not_pending");
    expect(!check.ok && check.error.params).toEqual({ decision: "approved", by: "boss" });
    const expired = checkDecision(approval({ status: "expired", decidedBy: "system" }), { by: "alice" }, NOW);
    expect(!expired.ok && expired.error.params).toEqual({ decision: "expired", by: "system" });
  });

  it("refuses a pending approval whose time ran out, at and after its expiry", () => {
    const expiresAt = new Date("2026-12-01T10:00:00Z");
    expect(codeOf(checkDecision(approval({ expiresAt }), { by: "alice" }, NOW))).toBe("approval_expired");
    expect(
      checkDecision(approval({ expiresAt }), { by: "alice" }, new Date(expiresAt.getTime() - 1)),
    ).toEqual({
      ok: true,
    });
  });

  it("checks who before anything else: a stranger learns nothing about the approval's state", () => {
    const decided = approval({ status: "rejected", decidedBy: "boss", expiresAt: new Date(0) });
    expect(codeOf(checkDecision(decided, { by: "mallory" }, NOW))).toBe("approval_not_allowed");
  });
});
