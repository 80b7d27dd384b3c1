import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/conversations/events.js";
import type { ApprovalView, DecideInput } from "../../src/conversations/types.js";
import { decide, openEditForm } from "../../src/delivery/index.js";
import { FakeSink, fakeDelivery, streamOf } from "./fakes.js";

const base = {
  threadKey: "slack:T1:C1:1.1",
  runId: "run_1",
  locale: "en" as const,
  at: "2025-11-03T09:30:00.000Z",
};

function approval(over: Partial<ApprovalView> = {}): ApprovalView {
  return {
    approvalId: "apr_1",
    threadKey: base.threadKey,
    runId: "run_1",
    stepId: 2,
    agent: "contract",
    task: "Draft the NDA",
    reason: "policy",
    requester: "U_REQ",
    approvers: ["U_BOSS", "S0LEADS"],
    locale: "en",
    status: "pending",
    decidedBy: undefined,
    decidedAt: undefined,
    editedTask: undefined,
    createdAt: new Date(base.at),
    expiresAt: new Date(Date.now() + 86_400_000),
    ...over,
  };
}

const decided: RunEvent = {
  ...base,
  type: "approval_decided",
  approval_id: "apr_1",
  step: 2,
  agent: "contract",
  task: "Draft the NDA",
  decision: "approve",
  by: "U_REQ",
  approval: {
    approval_id: "apr_1",
    step: 2,
    agent: "contract",
    task: "Draft the NDA",
    reason: "policy",
    requester: "U_REQ",
    expires_at: new Date(Date.now() + 86_400_000).toISOString(),
  },
};
const status: RunEvent = { ...base, type: "status", status: "resuming", message: "" };

describe("the decide flow", () => {
  it("decides, redraws the card as decided, then delivers the resumed run without a new card at once", async () => {
    let stored = approval();
    const inputs: DecideInput[] = [];
    const ctx = fakeDelivery({
      approval: async () => stored,
      decide: (_id, input) => {
        inputs.push(input);
        stored = approval({ status: "approved", decidedBy: input.by, decidedAt: new Date(base.at) });
        return streamOf([decided, status]);
      },
    });
    const sink = new FakeSink();
    await decide(ctx, { sink, threadKey: base.threadKey, cardId: "card", user: "U_REQ" }, "apr_1", {
      decision: "approve",
      by: "U_REQ",
    });
    expect(inputs).toEqual([
      { decision: "approve", by: "U_REQ", approvedVia: undefined, threadKey: base.threadKey },
    ]);
    expect(sink.calls[0]).toEqual({ op: "update", id: "card", what: "approval apr_1 approve by U_REQ" });
    expect(sink.calls[1]).toMatchObject({ op: "post", what: expect.stringMatching(/^progress/) });
    expect(sink.calls.filter((call) => call.op === "update" && call.id === "card")).toHaveLength(1);
  });

  it("tells the member of an approver group that vouched for them to the service", async () => {
    const inputs: DecideInput[] = [];
    const ctx = fakeDelivery(
      {
        approval: async () => approval(),
        decide: (_id, input) => {
          inputs.push(input);
          return streamOf([]);
        },
      },
      { groups: { S0LEADS: ["U_LEAD"] } },
    );
    await decide(
      ctx,
      { sink: new FakeSink(), threadKey: base.threadKey, cardId: "card", user: "U_LEAD" },
      "apr_1",
      {
        decision: "reject",
        by: "U_LEAD",
      },
    );
    expect(inputs[0]?.approvedVia).toBe("S0LEADS");
  });

  it("takes the groups a click says the person belongs to (Discord roles) without any lookup", async () => {
    const inputs: DecideInput[] = [];
    const ctx = fakeDelivery(
      {
        approval: async () => approval(),
        decide: (_id, input) => {
          inputs.push(input);
          return streamOf([]);
        },
      },
      { groups: { S0LEADS: [] }, lookup: false },
    );
    const click = { sink: new FakeSink(), threadKey: base.threadKey, cardId: "card" };
    await decide(ctx, { ...click, user: "U_ROLE", memberOf: ["R_OTHER", "S0LEADS"] }, "apr_1", {
      decision: "approve",
      by: "U_ROLE",
    });
    await decide(ctx, { ...click, user: "U_NOBODY", memberOf: ["R_OTHER"] }, "apr_1", {
      decision: "approve",
      by: "U_NOBODY",
    });
    expect(inputs.map((input) => input.approvedVia)).toEqual(["S0LEADS", undefined]);
  });

  it("refuses privately and puts a card right that still shows buttons for a decided step", async () => {
    const ctx = fakeDelivery({
      approval: async () =>
        approval({ status: "rejected", decidedBy: "U_BOSS", decidedAt: new Date(base.at) }),
      decide: () =>
        streamOf([
          {
            ...base,
            type: "error",
            kind: "approval_not_pending",
            message: "already decided",
            retryable: false,
          },
        ]),
    });
    const sink = new FakeSink();
    await decide(ctx, { sink, threadKey: base.threadKey, cardId: "card", user: "U_X" }, "apr_1", {
      decision: "approve",
      by: "U_X",
    });
    expect(sink.calls).toEqual([
      { op: "private", user: "U_X", what: "error approval_not_pending" },
      { op: "update", id: "card", what: "approval apr_1 reject by U_BOSS" },
    ]);
  });

  it("gives the card its buttons back when the run reopens the approval (resuming failed)", async () => {
    const states = [
      approval(),
      approval({ status: "approved", decidedBy: "U_REQ", decidedAt: new Date(base.at) }),
    ];
    const card = {
      approval_id: "apr_1",
      step: 2,
      agent: "contract",
      task: "Draft the NDA",
      reason: "policy",
      requester: "U_REQ",
      expires_at: base.at,
    };
    const ctx = fakeDelivery({
      // Read for the group check and the decided card; the reopened card comes from the event.
      approval: async () => states.shift(),
      decide: () =>
        streamOf([
          decided,
          status,
          { ...base, type: "approval_reopened", approval: card },
          { ...base, type: "error", kind: "run_failed", message: "boom", retryable: true, retry_id: "rt_1" },
        ]),
    });
    const sink = new FakeSink();
    await decide(ctx, { sink, threadKey: base.threadKey, cardId: "card", user: "U_REQ" }, "apr_1", {
      decision: "approve",
      by: "U_REQ",
    });
    expect(sink.calls[0]).toEqual({ op: "update", id: "card", what: "approval apr_1 approve by U_REQ" });
    expect(sink.calls).toContainEqual({ op: "update", id: "card", what: "approval apr_1 open" });
    expect(sink.posts().at(-1)).toBe("error run_failed retry rt_1");
  });
});

describe("the edit form", () => {
  it("opens for the requester and a listed approver, with the approval's task", async () => {
    const ctx = fakeDelivery({ approval: async () => approval() }, { groups: { S0LEADS: ["U_LEAD"] } });
    for (const user of ["U_REQ", "U_BOSS", "U_LEAD"]) {
      const sink = new FakeSink();
      await openEditForm(ctx, { sink, threadKey: base.threadKey, cardId: "card", user }, "apr_1");
      expect(sink.calls).toEqual([{ op: "form", approvalId: "apr_1" }]);
    }
  });

  it("refuses anyone else privately, with the service's words, and opens nothing", async () => {
    const ctx = fakeDelivery({ approval: async () => approval() });
    const sink = new FakeSink();
    await openEditForm(ctx, { sink, threadKey: base.threadKey, cardId: "card", user: "U_X" }, "apr_1");
    expect(sink.calls).toEqual([{ op: "private", user: "U_X", what: "error approval_not_allowed" }]);
  });

  it("refuses a decided step and redraws its card; an unknown approval is refused too", async () => {
    const done = approval({
      status: "edited",
      decidedBy: "U_REQ",
      decidedAt: new Date(base.at),
      editedTask: "x",
    });
    const sink = new FakeSink();
    await openEditForm(
      fakeDelivery({ approval: async () => done }),
      { sink, threadKey: base.threadKey, cardId: "card", user: "U_REQ" },
      "apr_1",
    );
    expect(sink.calls).toEqual([
      { op: "private", user: "U_REQ", what: "error approval_not_pending" },
      { op: "update", id: "card", what: "approval apr_1 edit by U_REQ" },
    ]);
    const other = new FakeSink();
    await openEditForm(
      fakeDelivery({ approval: async () => undefined }),
      { sink: other, threadKey: base.threadKey, cardId: "c", user: "U" },
      "x",
    );
    expect(other.calls).toEqual([{ op: "private", user: "U", what: "error approval_unknown" }]);
  });
});
