import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect } from "../../src/conversations/index.js";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { AgentRegistry, buildSupervisorGraph, newTurnInput } from "../../src/supervisor/index.js";
import { openTestStore, type TestStore } from "../support/databases.js";
import { deliveredRuns } from "../support/events.js";
import { withSearchStandIn } from "../support/prompt-agents.js";
import { createTestService } from "../support/service.js";
import { testSupervisorDeps } from "./deps.js";

/**
 * The language is decided once per turn from the request and lives in the checkpointed state, so a
 * run resumed by another process (a new service instance here) keeps it, whatever the conversation's
 * earlier turns or the session record say.
 */
const THREAD = "console:lang";
const REQUEST = "서울의 인구를 검색한 다음 데이터를 분석해 줘";

const plan = () => ({
  steps: [
    { id: 1, agent: "search", task: "서울 인구 검색", depends_on: [], needs_approval: false },
    { id: 2, agent: "data", task: "인구 데이터 분석", depends_on: [1], needs_approval: false },
  ],
});

describe("the turn's language across a resume in a new process", () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore("pglite");
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("stays Korean for a Korean request after an English turn, in every call and the report", async () => {
    // An English first turn, then a Korean one cut short after its first step.
    const first = createTestService(store, { scripted: { handlers: { plan } } });
    await collect(
      first.service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "search cats" }),
    );
    await first.service.close();

    const before = new ScriptedLlm({ handlers: { plan } });
    // Search as its prompt stand-in, as the services here (no knowledge base) run it.
    const deps = testSupervisorDeps(before, { registry: new AgentRegistry(withSearchStandIn()) });
    const graph = buildSupervisorGraph(deps, store.checkpointer);
    // The session record says English (the conversation's first language); the turn says Korean.
    await store.sessions.beginTurn({
      threadId: THREAD,
      platform: "console",
      requester: "alice",
      title: REQUEST,
      locale: "en",
      format: "report",
    });
    const turn = {
      run_id: "run_ko",
      request: REQUEST,
      format: "report" as const,
      locale: "ko" as const,
      requester: "alice",
      started_at: new Date().toISOString(),
      attachments: [],
    };
    const stream = await graph.stream(newTurnInput(turn), {
      configurable: { thread_id: THREAD },
      streamMode: "updates",
    });
    for await (const update of stream) if ("execute_step" in (update as object)) break;
    expect(before.calls.map((c) => [c.purpose, c.locale])).toEqual([
      ["intent", "ko"],
      ["plan", "ko"],
      ["agent:search", "ko"],
    ]);

    const { service, llm } = createTestService(store, { scripted: { handlers: { plan } } });
    const [resumed] = await deliveredRuns(service, "console");
    const events = resumed?.events ?? [];
    const result = events.find((e) => e.type === "result");
    const calls = (llm as ScriptedLlm).calls;
    expect(calls.map((c) => c.purpose)).toEqual(["agent:data", "aggregate"]);
    for (const call of calls) {
      expect(call.locale).toBe("ko");
      expect(call.context.locale).toBe("ko");
    }
    expect(result?.type === "result" && result.result.locale).toBe("ko");
    const report = result?.type === "result" ? (result.result.final_result.report ?? "") : "";
    expect(report).toContain("분석 보고서");
    expect(report).not.toContain("Analysis report");
    const summary = result?.type === "result" ? result.result.aggregated_data.final_answer : "";
    expect(summary).toMatch(/[가-힣]/);
    await service.close();
  });
});
