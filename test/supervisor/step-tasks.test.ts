import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import type { ApprovalAsked, RunHooks } from "../../src/supervisor/index.js";
import { stepInputOf } from "../../src/supervisor/nodes/step-input.js";
import { AgentRegistry } from "../../src/supervisor/registry.js";
import { SupervisorRunner } from "../../src/supervisor/runner/index.js";
import type { TurnInput } from "../../src/supervisor/state.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";
import { promptAgents } from "../support/prompt-agents.js";
import { testState, testSupervisorDeps } from "./deps.js";

/**
 * LangGraph stores a task's payload (its `Send`) with the checkpoint twice: as the dispatching node's
 * pending write and in the next checkpoint's task channel. The turn's attachments stay in the graph
 * state, which each parallel step and generator reads, so they are not stored again per task.
 */
const ATTACHMENT_BYTES = 256 * 1024;

/** Three steps at once; the contract agent always waits for an approval. */
/** The agents as plain model calls: these tests are about what every step's prompt is given. */
const registry = new AgentRegistry(promptAgents());

const parallelPlan = (agents: string[]) => () => ({
  steps: agents.map((agent, index) => ({
    id: index + 1,
    agent,
    task: `${agent} over the attached file`,
    description: "",
    depends_on: [],
    needs_approval: false,
  })),
});

function turnWith(
  runId: string,
  attachments: TurnInput["attachments"],
  format: TurnInput["format"] = "chat",
): TurnInput {
  return {
    run_id: runId,
    request: "look at the attached file",
    format,
    locale: "en",
    requester: "alice",
    started_at: new Date().toISOString(),
    attachments,
  };
}

function hooks(asked: ApprovalAsked[] = []): RunHooks {
  return {
    signal: new AbortController().signal,
    onProgress() {},
    async onApproval(approval) {
      asked.push(approval);
      return undefined;
    },
  };
}

/** Everything the checkpointer stored for a thread, in bytes. */
async function storedBytes(store: TestStore, threadId: string): Promise<number> {
  const { rows } = await store.db.query<{ bytes: string | number }>(
    `SELECT
       (SELECT COALESCE(SUM(octet_length(blob)), 0) FROM checkpoint_writes WHERE thread_id = $1)
     + (SELECT COALESCE(SUM(octet_length(blob)), 0) FROM checkpoint_blobs WHERE thread_id = $1)
     + (SELECT COALESCE(SUM(octet_length(checkpoint::text) + octet_length(metadata::text)), 0)
          FROM checkpoints WHERE thread_id = $1) AS bytes`,
    [threadId],
  );
  return Number(rows[0]?.bytes ?? 0);
}

function agentPrompts(llm: ScriptedLlm): Map<string, string> {
  return new Map(
    llm.calls
      .filter((call) => call.purpose.startsWith("agent:"))
      .map((call) => [call.purpose, call.messages.map((m) => m.content).join("\n")]),
  );
}

describe.each(DATABASE_KINDS)("what parallel step tasks store on %s", (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("stores a turn's attachment no more per parallel step or generator, and every agent still sees it", async () => {
    const llm = new ScriptedLlm({ handlers: { plan: parallelPlan(["search", "data", "web"]) } });
    const runner = new SupervisorRunner(testSupervisorDeps(llm, { registry }), store);
    // Three steps at once, then all four generators at once.
    const plain = await runner.startTurn("t:plain", turnWith("run_plain", [], "all"), hooks());
    expect(plain.status).toBe("finished");

    const text = randomBytes(ATTACHMENT_BYTES / 2).toString("hex");
    const attached = await runner.startTurn(
      "t:attached",
      turnWith("run_attached", [{ name: "notes.txt", text }], "all"),
      hooks(),
    );
    expect(attached.status === "finished" && attached.result.step_results.map((s) => s.status)).toEqual([
      "completed",
      "completed",
      "completed",
    ]);
    const growth = (await storedBytes(store, "t:attached")) - (await storedBytes(store, "t:plain"));
    // LangGraph keeps any turn input three times, whatever the plan: the input checkpoint's `__start__`
    // channel, the start task's write of `turn`, and the `turn` channel. A copy per step and per
    // generator task would be 2 x (3 + 4) more.
    expect(growth).toBeGreaterThanOrEqual(3 * ATTACHMENT_BYTES);
    expect(growth).toBeLessThan(3.5 * ATTACHMENT_BYTES);

    const prompts = agentPrompts(llm);
    expect([...prompts.keys()].sort()).toEqual(["agent:data", "agent:search", "agent:web"]);
    for (const prompt of prompts.values()) {
      expect(prompt).toContain("Attached file notes.txt");
      expect(prompt).toContain(text.slice(0, 200));
    }
  });

  it("gives a step resumed after its approval the turn's attachments", async () => {
    const first = new ScriptedLlm({ handlers: { plan: parallelPlan(["search", "data", "contract"]) } });
    const asked: ApprovalAsked[] = [];
    const turn = turnWith("run_approval", [{ name: "terms.txt", text: "Clause 7: no liability." }]);
    const paused = await new SupervisorRunner(testSupervisorDeps(first, { registry }), store).startTurn(
      "t:approval",
      turn,
      hooks(asked),
    );
    expect(paused.status).toBe("paused");
    expect(asked.map((a) => a.request.agent)).toEqual(["contract"]);

    // A new runner, as after a restart: nothing but the checkpoints carries the attachment over.
    const second = new ScriptedLlm({ handlers: { plan: parallelPlan(["search", "data", "contract"]) } });
    const decision = { decision: "approve" as const, by: "alice" };
    const resumed = await new SupervisorRunner(testSupervisorDeps(second, { registry }), store).resume(
      "t:approval",
      { [asked[0]?.interruptId as string]: decision },
      hooks(),
    );
    expect(resumed.status).toBe("finished");
    const prompts = agentPrompts(second);
    expect([...prompts.keys()]).toEqual(["agent:contract"]);
    expect(prompts.get("agent:contract")).toContain("Attached file terms.txt:\nClause 7: no liability.");
  });
});

describe("a step task completed from the graph state", () => {
  const turn = { ...turnWith("run_now", [{ name: "a.csv", text: "1,2,3" }]), request: "analyse it again" };
  const step = {
    id: 2,
    agent: "data",
    task: "analyse",
    description: "",
    depends_on: [1],
    needs_approval: false,
    round: 0,
  };
  const state = testState({
    turn,
    turns: [{ run_id: "run_before", request: "find numbers", answer: "1, 2, 3", format: "chat", at: "" }],
    step_results: {
      1: {
        step_id: 1,
        agent: "search",
        task: "find",
        description: "",
        depends_on: [],
        status: "completed",
        result: "found 1,2,3",
        confidence: 1,
        duration_ms: 0,
        attempts: 1,
        round: 0,
      },
    },
  });

  it("gets the turn, the history and its dependencies' results from the state", () => {
    expect(stepInputOf({ step, run_id: "run_now" }, state)).toEqual({
      step,
      turn,
      history: [{ request: "find numbers", answer: "1, 2, 3" }],
      dependencies: [{ step_id: 1, agent: "search", task: "find", result: "found 1,2,3" }],
    });
  });

  it("accepts a task dispatched before the upgrade, and refuses one from another turn", () => {
    const legacy = { step, turn, history: [], dependencies: [] };
    expect(stepInputOf(legacy, state).turn.attachments).toEqual([{ name: "a.csv", text: "1,2,3" }]);
    expect(() => stepInputOf({ step, run_id: "run_other" }, state)).toThrow("found run run_now");
  });
});
