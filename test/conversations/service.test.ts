import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, type RunEvent, type RunEventOf, storeLedger } from "../../src/conversations/index.js";
import type { ScriptedCall } from "../../src/llm/scripted.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { DATABASE_KINDS, type DatabaseKind, openTestStore, type TestStore } from "../support/databases.js";
import { createTestService, type TestServiceOptions } from "../support/service.js";

type Proposed = { id: number; agent: string; task: string; depends_on?: number[]; needs_approval?: boolean };

function planOf(...steps: Proposed[]) {
  return () => ({
    steps: steps.map((s) => ({
      description: s.task,
      depends_on: [],
      needs_approval: false,
      ...s,
    })),
  });
}

function ofType<T extends RunEvent["type"]>(events: RunEvent[], type: T): RunEventOf<T>[] {
  return events.filter((e): e is RunEventOf<T> => e.type === type);
}

function resultOf(events: RunEvent[]) {
  const result = ofType(events, "result")[0];
  if (!result) throw new Error(`no result in ${events.map((e) => e.type).join(",")}`);
  return result.result;
}

function send(
  service: ReturnType<typeof createTestService>["service"],
  text: string,
  extra: { threadKey?: string; user?: string; format?: string } = {},
) {
  return collect(
    service.send({
      platform: "console",
      threadKey: extra.threadKey ?? "console:t",
      user: extra.user ?? "alice",
      text,
      format: extra.format,
    }),
  );
}

/** A deferred the agents use to prove overlap without looking at the clock. */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  return Promise.race([promise, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms))]);
}

/** A store that can be closed and opened again on the same data, as a restart does. */
async function restartableStore(kind: DatabaseKind) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "octo-restart-"));
  const schema = `octo_test_${randomBytes(5).toString("hex")}`;
  const opened: TestStore[] = [];
  return {
    async open() {
      const store = await openTestStore(kind, { dataDir: dir, schema });
      opened.push(store);
      return store;
    },
    async cleanup() {
      const last = opened.at(-1);
      for (const store of opened.slice(0, -1)) await store.close().catch(() => {});
      await last?.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe.each(DATABASE_KINDS)("conversation service on %s", (kind) => {
  let store: TestStore;
  let services: ReturnType<typeof createTestService>["service"][];

  function make(options: TestServiceOptions = {}) {
    const made = createTestService(store, options);
    services.push(made.service);
    return made;
  }

  beforeEach(async () => {
    store = await openTestStore(kind);
    services = [];
  });
  afterEach(async () => {
    for (const service of services) await service.close();
    await store.destroy();
  });

  it("runs independent steps in parallel: both start before either ends", async () => {
    const log: string[] = [];
    const started = { search: signal(), data: signal() };
    const other = { search: "data", data: "search" } as const;
    const { service } = make({
      scripted: {
        handlers: {
          plan: planOf({ id: 1, agent: "search", task: "find" }, { id: 2, agent: "data", task: "count" }),
          agent: async ({ purpose }: ScriptedCall) => {
            const agent = purpose.split(":")[1] as "search" | "data";
            log.push(`start ${agent}`);
            started[agent].resolve();
            // Sequential execution would never see the other step start: it would time out here.
            const overlapped = await within(started[other[agent]].promise, 5_000);
            log.push(`${overlapped === "timeout" ? "alone" : "end"} ${agent}`);
            return { result: `${agent} done`, confidence: 0.9 };
          },
        },
      },
    });
    const events = await send(service, "find and count");
    expect(log.slice(0, 2).sort()).toEqual(["start data", "start search"]);
    expect(log.slice(2).sort()).toEqual(["end data", "end search"]);
    const steps = resultOf(events).step_results;
    expect(steps.map((s) => s.status)).toEqual(["completed", "completed"]);
    const [a, b] = steps;
    expect(Date.parse(a?.started_at ?? "") <= Date.parse(b?.finished_at ?? "")).toBe(true);
    expect(Date.parse(b?.started_at ?? "") <= Date.parse(a?.finished_at ?? "")).toBe(true);
  });

  it("respects dependencies and hands a step its dependencies' results", async () => {
    const log: string[] = [];
    const { service, llm } = make({
      scripted: {
        handlers: {
          plan: planOf(
            { id: 1, agent: "search", task: "find" },
            { id: 2, agent: "data", task: "analyse", depends_on: [1] },
          ),
          agent: async ({ purpose }: ScriptedCall) => {
            log.push(`start ${purpose}`);
            await new Promise((r) => setTimeout(r, 20));
            log.push(`end ${purpose}`);
            return { result: `${purpose} result`, confidence: 0.7 };
          },
        },
      },
    });
    const events = await send(service, "find then analyse");
    expect(log).toEqual(["start agent:search", "end agent:search", "start agent:data", "end agent:data"]);
    const dataCall = (llm as { calls: ScriptedCall[] }).calls.find((c) => c.purpose === "agent:data");
    expect(dataCall?.messages[1]?.content).toContain("Step 1 (search): agent:search result");
    expect(ofType(events, "plan")[0]?.steps.map((s) => s.depends_on)).toEqual([[], [1]]);
  });

  it("pauses a contract step for approval, survives a restart, and resumes from a new service", async () => {
    const restart = await restartableStore(kind);
    try {
      const store1 = await restart.open();
      const first = createTestService(store1);
      const events = await collect(
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
      const resumed = await collect(
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

    const afterReject = await collect(
      service.decide(code?.approval_id as string, { decision: "reject", by: "alice" }),
    );
    expect(ofType(afterReject, "status").at(-1)?.status).toBe("waiting_approval");
    expect(ofType(afterReject, "result")).toHaveLength(0);

    const afterEdit = await collect(
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

    const stranger = await collect(service.decide(id, { decision: "approve", by: "mallory" }));
    expect(stranger.map((e) => e.type)).toEqual(["error"]);
    expect(stranger[0]).toMatchObject({ kind: "approval_not_allowed" });
    expect((stranger[0] as RunEventOf<"error">).message).toContain("alice");
    expect((await service.approval(id))?.status).toBe("pending");

    const emptyEdit = await collect(service.decide(id, { decision: "edit", editedTask: "   ", by: "alice" }));
    expect(emptyEdit[0]).toMatchObject({ type: "error", kind: "input_empty" });

    await collect(service.decide(id, { decision: "approve", by: "alice" }));
    const again = await collect(service.decide(id, { decision: "reject", by: "alice" }));
    expect(again[0]).toMatchObject({ type: "error", kind: "approval_not_pending" });
    expect((again[0] as RunEventOf<"error">).message).toContain("approved by alice");

    const unknown = await collect(service.decide("apr_nope", { decision: "approve", by: "alice" }));
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

    const strict = make();
    const held = await send(strict.service, "draft an NDA contract", { threadKey: "console:held" });
    const blocked = await send(strict.service, "search for dogs", { threadKey: "console:held" });
    expect(blocked.map((e) => e.type)).toEqual(["error"]);
    expect(blocked[0]).toMatchObject({ kind: "approval_pending" });
    expect((await strict.service.history("console:held")).turns).toHaveLength(0);
    expect(ofType(held, "approval_requested")).toHaveLength(1);
  });

  it("retries a failing step, marks it failed, then replans once with the failure in view", async () => {
    let webCalls = 0;
    const { service, llm } = make({
      scripted: {
        handlers: {
          plan: planOf({ id: 1, agent: "web", task: "read example.com" }),
          "agent:web": () => {
            webCalls += 1;
            throw new OctoError("llm_timeout", "web model timed out", { retryable: true });
          },
          replan: planOf({ id: 2, agent: "search", task: "recall what example.com says" }),
        },
      },
    });
    const events = await send(service, "read example.com");
    expect(webCalls).toBe(3);
    const result = resultOf(events);
    expect(result.step_results.map((s) => [s.step_id, s.agent, s.status, s.round])).toEqual([
      [1, "web", "failed", 0],
      [2, "search", "completed", 1],
    ]);
    expect(result.step_results[0]).toMatchObject({ attempts: 3, error: "web model timed out" });
    expect(
      ofType(events, "step_started")
        .filter((e) => e.step_id === 1)
        .map((e) => e.attempt),
    ).toEqual([1, 2, 3]);
    expect(ofType(events, "status").map((e) => e.status)).toContain("replanning");
    expect((llm as { calls: ScriptedCall[] }).calls.filter((c) => c.purpose === "replan")).toHaveLength(1);
    expect(result.aggregated_data.execution_summary).toMatchObject({
      total_steps: 2,
      completed_steps: 1,
      failed_steps: 1,
    });
  });

  it("lists checkpoints newest first and rewinds by forking from an earlier turn", async () => {
    const { service, llm } = make();
    for (const text of ["search cats", "search dogs", "search birds"]) await send(service, text);
    const history = await service.history("console:t");
    expect(history.turns.map((turn) => turn.request)).toEqual(["search cats", "search dogs", "search birds"]);
    const times = history.checkpoints.map((c) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(history.checkpoints[0]?.turns).toBe(3);
    expect(history.session?.turns).toBe(3);

    const rewound = await service.rewind("console:t", { turns: 1 });
    expect(rewound.turns).toBe(2);
    const after = await service.history("console:t");
    expect(after.turns.map((turn) => turn.request)).toEqual(["search cats", "search dogs"]);
    expect(after.checkpoints[0]?.checkpointId).toBe(rewound.checkpointId);
    expect(after.session?.turns).toBe(2);

    // A request that refers back ("those") sees the turns left after the rewind, not the rewound one.
    await send(service, "search fish like those");
    const planCall = (llm as { calls: ScriptedCall[] }).calls.filter((c) => c.purpose === "plan").at(-1);
    expect(planCall?.messages.at(-1)?.content).toContain("search dogs");
    expect(planCall?.messages.at(-1)?.content).not.toContain("search birds");
    expect((await service.history("console:t")).turns.map((turn) => turn.request)).toEqual([
      "search cats",
      "search dogs",
      "search fish like those",
    ]);

    const byId = await service.rewind("console:t", {
      checkpointId: history.turns[0]?.checkpointId as string,
    });
    expect(byId.turns).toBe(1);
    expect((await service.history("console:t")).turns.map((turn) => turn.request)).toEqual(["search cats"]);
  });

  it("refuses a rewind to a checkpoint that does not exist or further back than the conversation", async () => {
    const { service } = make();
    await send(service, "search cats");
    const before = await service.history("console:t");
    await expect(
      service.rewind("console:t", { checkpointId: "1f000000-0000-6000-8000-000000000000" }),
    ).rejects.toMatchObject({
      code: "checkpoint_not_found",
    });
    await expect(service.rewind("console:t", { turns: 5 })).rejects.toMatchObject({
      code: "nothing_to_rewind",
    });
    expect((await service.history("console:t")).checkpoints).toEqual(before.checkpoints);
  });

  it("queues messages to one thread in order without interleaving their runs", async () => {
    const log: string[] = [];
    const { service } = make({
      scripted: {
        handlers: {
          agent: async ({ context }: ScriptedCall) => {
            log.push(`start ${context.request}`);
            await new Promise((r) => setTimeout(r, 15));
            log.push(`end ${context.request}`);
            return { result: `The agent handled "${String(context.request)}" in order.`, confidence: 0.5 };
          },
        },
      },
    });
    const streams = ["search one", "search two", "search three"].map((text) =>
      collect(service.send({ platform: "console", threadKey: "console:q", user: "alice", text })),
    );
    const all = await Promise.all(streams);
    expect(log).toEqual([
      "start search one",
      "end search one",
      "start search two",
      "end search two",
      "start search three",
      "end search three",
    ]);
    expect(all.map((events) => resultOf(events).request)).toEqual([
      "search one",
      "search two",
      "search three",
    ]);
    expect(all[1]?.[0]).toMatchObject({ type: "status", status: "queued" });
    expect((await service.history("console:q")).turns).toHaveLength(3);
  });

  it("answers bad input politely without touching stored state", async () => {
    const { service } = make();
    const cases: [string, string | undefined, string][] = [
      ["", undefined, "input_empty"],
      ["   \n\t ", undefined, "input_empty"],
      ["x".repeat(20_000), undefined, "input_too_long"],
      ["search cats", "poster", "format_unknown"],
    ];
    for (const [text, format, kind] of cases) {
      const events = await send(service, text, { format });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: "error", kind, retryable: false });
      expect((events[0] as RunEventOf<"error">).message.length).toBeGreaterThan(20);
    }
    const tooLong = await send(service, "가".repeat(20_000));
    expect((tooLong[0] as RunEventOf<"error">).message).toContain("20000자");
    const history = await service.history("console:t");
    expect(history.session).toBeUndefined();
    expect(history.checkpoints).toEqual([]);
  });

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
    expect(await storeLedger(store).hasConversation("console:t")).toBe(false);

    failPlanning = false;
    const restarted = make().service;
    const retried = await collect(restarted.retry(error?.retry_id as string, { by: "bob" }));
    expect(resultOf(retried).request).toBe("search cats");
    expect(await storeLedger(store).hasConversation("console:t")).toBe(true);
    expect((await restarted.history("console:t")).session?.requester).toBe("alice");

    const again = await collect(restarted.retry(error?.retry_id as string, { by: "alice" }));
    expect(again.map((e) => e.type)).toEqual(["error"]);
    expect(again[0]).toMatchObject({ kind: "retry_unavailable" });
    const bogus = await collect(restarted.retry("rt_nope", { by: "alice" }));
    expect(bogus[0]).toMatchObject({ kind: "retry_unavailable" });
  });

  it("offers no retry for input that can never succeed", async () => {
    const { service } = make();
    const events = await send(service, "");
    expect(events[0]).toMatchObject({ type: "error", kind: "input_empty" });
    expect((events[0] as RunEventOf<"error">).retry_id).toBeUndefined();
  });

  it("accepts a decision from a member of an approver group the adapter vouches for", async () => {
    const { service } = make({ settings: { approvers: ["S0LEADS"] } });
    const events = await send(service, "draft an NDA contract");
    const id = ofType(events, "approval_requested")[0]?.approval.approval_id as string;
    const outsider = await collect(
      service.decide(id, { decision: "approve", by: "carol", approvedVia: "S0OTHER" }),
    );
    expect(outsider[0]).toMatchObject({ type: "error", kind: "approval_not_allowed" });
    const member = await collect(
      service.decide(id, { decision: "approve", by: "carol", approvedVia: "S0LEADS" }),
    );
    expect(ofType(member, "approval_decided")[0]).toMatchObject({ by: "carol" });
    expect(ofType(member, "result")).toHaveLength(1);
  });

  it("moves the session active -> waiting_human -> completed", async () => {
    const seen: string[] = [];
    const { service } = make({
      scripted: {
        handlers: {
          "agent:search": async () => {
            seen.push((await store.sessions.get("console:t"))?.status ?? "none");
            return { result: "found", confidence: 0.8 };
          },
          plan: planOf(
            { id: 1, agent: "search", task: "find" },
            { id: 2, agent: "contract", task: "draft", depends_on: [1] },
          ),
        },
      },
    });
    const events = await send(service, "find and draft");
    expect(seen).toEqual(["active"]);
    expect((await store.sessions.get("console:t"))?.status).toBe("waiting_human");
    const id = ofType(events, "approval_requested")[0]?.approval.approval_id as string;
    await collect(service.decide(id, { decision: "approve", by: "alice" }));
    expect(await store.sessions.get("console:t")).toMatchObject({
      status: "completed",
      turns: 1,
      requester: "alice",
    });
    expect((await service.sessions("alice")).map((s) => s.threadKey)).toEqual(["console:t"]);
  });

  it("forgets a conversation: checkpoints, approvals and session", async () => {
    const { service } = make();
    await send(service, "draft an NDA contract");
    expect(await service.forget("console:t")).toBe(true);
    const history = await service.history("console:t");
    expect(history).toMatchObject({ session: undefined, turns: [], checkpoints: [], pendingApprovals: [] });
    expect(await service.forget("console:t")).toBe(false);
  });

  it("produces every generator's output for the all format in one result", async () => {
    const { service } = make();
    const result = resultOf(await send(service, "분기별 매출 데이터를 분석해 주세요", { format: "all" }));
    expect(result.locale).toBe("ko");
    expect(Object.keys(result.final_result).sort()).toEqual([
      "chat",
      "graph",
      "graph_hierarchical",
      "json",
      "report",
    ]);
    expect(result.final_result.chat).toContain("실행 요약");
    expect(result.final_result.report).toContain("# 📋 분석 보고서");
  });
});
