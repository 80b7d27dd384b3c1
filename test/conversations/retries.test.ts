import { describe, expect, it } from "vitest";
import { type RunEventOf, storeLedger } from "../../src/conversations/index.js";
import { classifyFailure } from "../../src/llm/failures.js";
import type { ScriptedCall } from "../../src/llm/scripted.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { DATABASE_KINDS } from "../support/databases.js";
import { collectEvents } from "../support/events.js";
import { ofType, planOf, resultOf, send, serviceFixture } from "./support.js";

describe.each(DATABASE_KINDS)("conversation rollback and retries on %s", (kind) => {
  const fixture = serviceFixture(kind);
  const make = fixture.make;

  it.each([
    [
      // The planner falls back to the request's keywords instead (routing/route.ts); intent does not.
      "invalid JSON in intent understanding",
      "intent",
      new OctoError("llm_invalid_output", "bad json"),
      "llm_invalid_output",
    ],
    [
      "a timeout in intent understanding",
      "intent",
      new OctoError("llm_timeout", "timeout", { retryable: true }),
      "llm_timeout",
    ],
  ])("rolls back a turn that fails on %s", async (_name, purpose, failure, kind) => {
    let fail = false;
    const { service } = make({
      scripted: {
        handlers: {
          [purpose]: (call: ScriptedCall) => {
            if (fail) throw failure;
            return purpose === "plan"
              ? planOf({ id: 1, agent: "search", task: String(call.context.request) })()
              : { category: "search", summary: "s" };
          },
        },
      },
    });
    await send(service, "search cats");
    const before = await service.history("console:t");
    fail = true;
    const events = await send(service, "search dogs");
    const error = ofType(events, "error")[0];
    expect(error).toMatchObject({ kind, retryable: true });
    expect(error?.message).toContain("Nothing was changed");
    const after = await service.history("console:t");
    expect(after.checkpoints).toEqual(before.checkpoints);
    expect(after.turns).toEqual(before.turns);
    expect(after.session).toMatchObject({ status: before.session?.status, turns: before.session?.turns });
    fail = false;
    expect(resultOf(await send(service, "search birds")).request).toBe("search birds");
  });

  it("offers a retry for a failed request, usable once, even from a new service", async () => {
    let failPlanning = true;
    const { service } = make({
      scripted: {
        handlers: {
          plan: (call: ScriptedCall) => {
            if (failPlanning) throw new OctoError("llm_timeout", "planner timed out", { retryable: true });
            return planOf({ id: 1, agent: "search", task: String(call.context.request) })();
          },
        },
      },
    });
    const failed = await send(service, "search cats");
    const error = ofType(failed, "error")[0];
    expect(error).toMatchObject({ kind: "llm_timeout", retryable: true });
    expect(error?.retry_id).toMatch(/^rt_/);
    expect(await storeLedger(fixture.store()).hasConversation("console:t")).toBe(false);

    failPlanning = false;
    // A restart: the embedded queue is one process's, so the old service must be gone before the new
    // one starts, or its queue may take the retried job while the new service waits for it.
    await service.close();
    const restarted = make().service;
    const retried = await collectEvents(restarted.retry(error?.retry_id as string, { by: "alice" }));
    expect(resultOf(retried).request).toBe("search cats");
    expect(await storeLedger(fixture.store()).hasConversation("console:t")).toBe(true);
    expect((await restarted.history("console:t")).session?.requester).toBe("alice");

    const again = await collectEvents(restarted.retry(error?.retry_id as string, { by: "alice" }));
    expect(again.map((e) => e.type)).toEqual(["error"]);
    expect(again[0]).toMatchObject({ kind: "retry_unavailable" });
    const bogus = await collectEvents(restarted.retry("rt_nope", { by: "alice" }));
    expect(bogus[0]).toMatchObject({ kind: "retry_unavailable" });
  });

  it("lets only the requester or an approver retry, and a refused click leaves the retry usable", async () => {
    let failPlanning = true;
    const { service } = make({
      settings: { approvers: ["boss", "S0LEADS"] },
      scripted: {
        handlers: {
          plan: (call: ScriptedCall) => {
            if (failPlanning) throw new OctoError("llm_timeout", "planner timed out", { retryable: true });
            return planOf({ id: 1, agent: "search", task: String(call.context.request) })();
          },
        },
      },
    });
    const retryIdOf = async (text: string, threadKey: string) =>
      ofType(await send(service, text, { threadKey }), "error")[0]?.retry_id as string;
    const first = await retryIdOf("search cats", "console:a");
    const second = await retryIdOf("search dogs", "console:b");
    failPlanning = false;

    const stranger = await collectEvents(service.retry(first, { by: "mallory", locale: "ko" }));
    expect(stranger.map((e) => e.type)).toEqual(["error"]);
    expect(stranger[0]).toMatchObject({ kind: "retry_not_allowed", locale: "ko" });
    expect(stranger[0]?.type === "error" && stranger[0].message).toContain("alice");
    // A group only counts when it is one of OCTO_APPROVERS.
    const wrongGroup = await collectEvents(service.retry(first, { by: "mallory", approvedVia: "S0OTHER" }));
    expect(wrongGroup[0]).toMatchObject({ kind: "retry_not_allowed" });
    expect((await service.history("console:a")).turns).toHaveLength(0);

    const byGroup = await collectEvents(service.retry(first, { by: "carol", approvedVia: "S0LEADS" }));
    expect(resultOf(byGroup).request).toBe("search cats");
    const byApprover = await collectEvents(service.retry(second, { by: "boss" }));
    expect(resultOf(byApprover).request).toBe("search dogs");
    // Sent again as the requester, whoever of them clicked.
    expect((await service.history("console:b")).session?.requester).toBe("alice");
  });

  it("keeps a retry usable when its turn is refused before running (an approval is pending)", async () => {
    let failPlanning = false;
    const { service } = make({
      scripted: {
        handlers: {
          plan: (call: ScriptedCall) => {
            if (failPlanning) throw new OctoError("llm_timeout", "planner timed out", { retryable: true });
            const request = String(call.context.request);
            return request.includes("contract")
              ? planOf({ id: 1, agent: "contract", task: request, needs_approval: true })()
              : planOf({ id: 1, agent: "search", task: request })();
          },
        },
      },
    });
    failPlanning = true;
    const failed = ofType(await send(service, "search cats"), "error")[0];
    const retryId = failed?.retry_id as string;
    expect(retryId).toMatch(/^rt_/);
    failPlanning = false;
    const held = await send(service, "draft an NDA contract");
    const approval = ofType(held, "approval_requested")[0];
    expect(approval).toBeDefined();

    const blocked = await collectEvents(service.retry(retryId, { by: "alice" }));
    expect(blocked.map((e) => e.type)).toEqual(["error"]);
    expect(blocked[0]).toMatchObject({ kind: "approval_pending" });

    await collectEvents(
      service.decide(approval?.approval.approval_id as string, { decision: "reject", by: "alice" }),
    );
    const retried = await collectEvents(service.retry(retryId, { by: "alice" }));
    expect(resultOf(retried).request).toBe("search cats");
    const again = await collectEvents(service.retry(retryId, { by: "alice" }));
    expect(again[0]).toMatchObject({ kind: "retry_unavailable" });
  });

  it("offers no retry for input that can never succeed", async () => {
    const { service } = make();
    const events = await send(service, "");
    expect(events[0]).toMatchObject({ type: "error", kind: "input_empty" });
    expect((events[0] as RunEventOf<"error">).retry_id).toBeUndefined();
  });

  it("offers no retry when the model refuses the credentials: a 401 cannot be fixed by trying again", async () => {
    const unauthorized = Object.assign(new Error("401 Incorrect API key provided"), { status: 401 });
    const { service } = make({
      scripted: {
        handlers: {
          plan: () => {
            throw classifyFailure(unauthorized, "openai").error;
          },
        },
      },
    });
    const events = await send(service, "search cats");
    const error = ofType(events, "error")[0];
    expect(error).toMatchObject({ kind: "llm_unavailable", retryable: false });
    expect(error?.retry_id).toBeUndefined();
    expect((await service.history("console:t")).session).toBeUndefined();
  });
});
