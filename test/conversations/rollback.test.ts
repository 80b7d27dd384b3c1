import { describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../support/databases.js";
import { collectEvents } from "../support/events.js";
import { ofType, planOf, resultOf, send, serviceFixture } from "./support.js";

describe.each(DATABASE_KINDS)("rolling back a failed resume on %s", (kind) => {
  const fixture = serviceFixture(kind);

  it("lets a person reject a step whose approved run failed: the step is rejected, not completed", async () => {
    let dataCalls = 0;
    const { service, llm } = fixture.make({
      scripted: {
        handlers: {
          plan: planOf(
            { id: 1, agent: "contract", task: "draft NDA" },
            { id: 2, agent: "data", task: "tabulate the clauses", depends_on: [1] },
          ),
          // The step after the approved one fails once, and the replan after it fails too, which fails
          // the resumed run after the approved step had already finished.
          "agent:data": () => {
            dataCalls += 1;
            if (dataCalls === 1) throw new Error("data model crashed");
            return { result: "a table of clauses", confidence: 0.7 };
          },
          replan: () => {
            throw new Error("unusable plan");
          },
        },
      },
      settings: { stepAttempts: 1 },
    });
    const asked = await send(service, "draft an NDA and tabulate it");
    const approvalId = ofType(asked, "approval_requested")[0]?.approval.approval_id as string;

    const approved = await collectEvents(service.decide(approvalId, { decision: "approve", by: "alice" }));
    expect(ofType(approved, "error")).toHaveLength(1);
    expect(ofType(approved, "result")).toHaveLength(0);
    expect(ofType(approved, "approval_reopened").map((e) => e.approval.approval_id)).toEqual([approvalId]);
    expect((await service.approval(approvalId))?.status).toBe("pending");

    const rejected = await collectEvents(service.decide(approvalId, { decision: "reject", by: "alice" }));
    const result = resultOf(rejected);
    expect(result.step_results.map((s) => [s.agent, s.status])).toEqual([
      ["contract", "skipped"],
      ["data", "skipped"],
    ]);
    expect(result.step_results[0]).toMatchObject({
      skip_reason: "rejected",
      approval: { decision: "reject", by: "alice" },
    });
    expect((await service.approval(approvalId))?.status).toBe("rejected");
    // The contract agent ran once, for the approval that was rolled back, and never for the rejection.
    const contractCalls = (llm as { calls: { purpose: string }[] }).calls.filter(
      (c) => c.purpose === "agent:contract",
    );
    expect(contractCalls).toHaveLength(1);
  });
});
