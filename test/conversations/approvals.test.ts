import { describe, expect, it } from "vitest";
import type { RunEventOf } from "../../src/conversations/index.js";
import type { ScriptedCall } from "../../src/llm/scripted.js";
import { DATABASE_KINDS } from "../support/databases.js";
import { collectEvents } from "../support/events.js";
import { createTestService } from "../support/service.js";
import { ofType, planOf, restartableStore, resultOf, send, serviceFixture } from "./support.js";

describe.each(DATABASE_KINDS)("conversation approvals and decisions on %s", (kind) => {
  const fixture = serviceFixture(kind);
  const make = fixture.make;

  it("pauses a contract step for approval, survives a restart, and resumes from a new service", async () => {
    const restart = await restartableStore(kind);
    try {
      const store1 = await restart.open();
      const first = createTestService(store1);
      const events = await collectEvents(
        first.service.send({
          platform: "console",
          threadKey: "console:r",
          user: "alice",
          text: "draft an NDA contract",
        }),
      );
      const [request] = ofType(events, "approval_requested");
      expect(request?.approval).toMatchObject({ agent: "contract", requester: "alice", step: 1 });
      expect(ofType(events, "status").at(-1)?.status).toBe("waiting_approval");
      await first.service.close();
      await store1.close();

      const store2 = await restart.open();
      const second = createTestService(store2);
      const history = await second.service.history("console:r");
      expect(history.session?.status).toBe("waiting_human");
      expect(history.pendingApprovals.map((a) => a.approvalId)).toEqual([request?.approval.approval_id]);
      const resumed = await collectEvents(
        second.service.decide(request?.approval.approval_id as string, { decision: "approve", by: "alice" }),
      );
      expect(ofType(resumed, "approval_decided")[0]).toMatchObject({ decision: "approve", by: "alice" });
      const result = resultOf(resumed);
      expect(result.step_results[0]).toMatchObject({
        status: "completed",
        approval: { decision: "approve", by: "alice" },
      });
      expect(result.aggregated_data.execution_summary.hitl_interactions).toBe(1);
      expect((await second.service.history("console:r")).session?.status).toBe("completed");
      await second.service.close();
    } finally {
      await restart.cleanup();
    }
  });

  it("records a rejected step as skipped and runs an edited step with the edited task", async () => {
    const { service, llm } = make({
      scripted: {
        handlers: {
          plan: planOf(
            { id: 1, agent: "code", task: "delete old files" },
            { id: 2, agent: "contract", task: "draft NDA" },
          ),
        },
      },
    });
    const events = await send(service, "clean up and draft");
    const requests = ofType(events, "approval_requested").map((e) => e.approval);
    expect(requests.map((r) => r.agent).sort()).toEqual(["code", "contract"]);
    expect(new Set(requests.map((r) => r.approval_id)).size).toBe(2);
    const code = requests.find((r) => r.agent === "code");
    const contract = requests.find((r) => r.agent === "contract");

    const afterReject = await collectEvents(
      service.decide(code?.approval_id as string, { decision: "reject", by: "alice" }),
    );
    expect(ofType(afterReject, "status").at(-1)?.status).toBe("waiting_approval");
    expect(ofType(afterReject, "result")).toHaveLength(0);

    const afterEdit = await collectEvents(
      service.decide(contract?.approval_id as string, {
        decision: "edit",
        editedTask: "draft a one-page NDA",
        by: "boss",
      }),
    );
    const result = resultOf(afterEdit);
    expect(result.step_results.map((s) => [s.agent, s.status])).toEqual([
      ["code", "skipped"],
      ["contract", "completed"],
    ]);
    expect(result.step_results[0]?.result).toContain("rejected by alice");
    expect(result.step_results[1]).toMatchObject({
      task: "draft a one-page NDA",
      approval: { decision: "edit", by: "boss" },
    });
    const contractCall = (llm as { calls: ScriptedCall[] }).calls.find((c) => c.purpose === "agent:contract");
    expect(contractCall?.context.task).toBe("draft a one-page NDA");
    expect(ofType(afterReject, "step_started")).toHaveLength(0);
  });

  it("refuses decisions that are not allowed, not pending or unknown, and changes nothing", async () => {
    const { service } = make();
    const events = await send(service, "draft an NDA contract");
    const id = ofType(events, "approval_requested")[0]?.approval.approval_id as string;

    const stranger = await collectEvents(service.decide(id, { decision: "approve", by: "mallory" }));
    expect(stranger.map((e) => e.type)).toEqual(["error"]);
    expect(stranger[0]).toMatchObject({ kind: "approval_not_allowed" });
    expect((stranger[0] as RunEventOf<"error">).message).toContain("alice");
    expect((await service.approval(id))?.status).toBe("pending");

    const emptyEdit = await collectEvents(
      service.decide(id, { decision: "edit", editedTask: "   ", by: "alice" }),
    );
    expect(emptyEdit[0]).toMatchObject({ type: "error", kind: "input_empty" });

    await collectEvents(service.decide(id, { decision: "approve", by: "alice" }));
    const again = await collectEvents(service.decide(id, { decision: "reject", by: "alice" }));
    expect(again[0]).toMatchObject({ type: "error", kind: "approval_not_pending" });
    expect((again[0] as RunEventOf<"error">).message).toContain("approved by alice");

    const unknown = await collectEvents(service.decide("apr_nope", { decision: "approve", by: "alice" }));
    expect(unknown[0]).toMatchObject({ type: "error", kind: "approval_unknown" });
  });

  it("refuses a new message while an approval is pending, and lets an expired one count as rejected", async () => {
    const { service } = make({ settings: { approvalTtlSeconds: 0 } });
    const first = await send(service, "draft an NDA contract");
    expect(ofType(first, "approval_requested")).toHaveLength(1);
    // With a zero TTL the approval is already overdue: the next message settles it first.
    const next = await send(service, "search for cats");
    const results = ofType(next, "result");
    expect(results).toHaveLength(2);
    expect(results[0]?.result.step_results[0]).toMatchObject({ agent: "contract", status: "skipped" });
    expect(results[0]?.result.step_results[0]?.result).toContain("expired");
    expect(results[1]?.result.request).toBe("search for cats");
    // One process per database on the in-process queue: the next service is the next process.
    await service.close();

    const strict = make();
    const held = await send(strict.service, "draft an NDA contract", { threadKey: "console:held" });
    const blocked = await send(strict.service, "search for dogs", { threadKey: "console:held" });
    expect(blocked.map((e) => e.type)).toEqual(["error"]);
    expect(blocked[0]).toMatchObject({ kind: "approval_pending" });
    expect((await strict.service.history("console:held")).turns).toHaveLength(0);
    expect(ofType(held, "approval_requested")).toHaveLength(1);
  });

  it("accepts a decision from a member of an approver group the adapter vouches for", async () => {
    const { service } = make({ settings: { approvers: ["S0LEADS"] } });
    const events = await send(service, "draft an NDA contract");
    const id = ofType(events, "approval_requested")[0]?.approval.approval_id as string;
    const outsider = await collectEvents(
      service.decide(id, { decision: "approve", by: "carol", approvedVia: "S0OTHER" }),
    );
    expect(outsider[0]).toMatchObject({ type: "error", kind: "approval_not_allowed" });
    const member = await collectEvents(
      service.decide(id, { decision: "approve", by: "carol", approvedVia: "S0LEADS" }),
    );
    expect(ofType(member, "approval_decided")[0]).toMatchObject({ by: "carol" });
    expect(ofType(member, "result")).toHaveLength(1);
  });
});
