import { describe, expect, it } from "vitest";
import type { RunEventOf } from "../../src/conversations/index.js";
import type { ScriptedCall } from "../../src/llm/scripted.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { DATABASE_KINDS } from "../support/databases.js";
import { collectEvents } from "../support/events.js";
import { promptAgents } from "../support/prompt-agents.js";
import { ofType, planOf, resultOf, send, serviceFixture, signal, within } from "./support.js";

describe.each(DATABASE_KINDS)("conversation turns on %s", (kind) => {
  const fixture = serviceFixture(kind);
  const make = fixture.make;

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

  it("retries a failing step, marks it failed, then replans once with the failure in view", async () => {
    let webCalls = 0;
    const { service, llm } = make({
      agents: promptAgents(),
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
      collectEvents(service.send({ platform: "console", threadKey: "console:q", user: "alice", text })),
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

  it("moves the session active -> waiting_human -> completed", async () => {
    const seen: string[] = [];
    const { service } = make({
      scripted: {
        handlers: {
          "agent:search": async () => {
            seen.push((await fixture.store().sessions.get("console:t"))?.status ?? "none");
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
    expect((await fixture.store().sessions.get("console:t"))?.status).toBe("waiting_human");
    const id = ofType(events, "approval_requested")[0]?.approval.approval_id as string;
    await collectEvents(service.decide(id, { decision: "approve", by: "alice" }));
    expect(await fixture.store().sessions.get("console:t")).toMatchObject({
      status: "completed",
      turns: 1,
      requester: "alice",
    });
    expect((await service.sessions("alice")).map((s) => s.threadKey)).toEqual(["console:t"]);
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
