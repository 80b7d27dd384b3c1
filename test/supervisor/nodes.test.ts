import type { Send } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { DEFAULT_AGENTS } from "../../src/supervisor/agents/index.js";
import { aggregatorNode } from "../../src/supervisor/nodes/aggregator.js";
import type { SupervisorDeps } from "../../src/supervisor/nodes/deps.js";
import { executeStepNode } from "../../src/supervisor/nodes/execute-step.js";
import { intentUnderstandingNode } from "../../src/supervisor/nodes/intent.js";
import { planningNode } from "../../src/supervisor/nodes/planning.js";
import { routeAfterSchedule, skippedByDependencies } from "../../src/supervisor/nodes/schedule.js";
import type { StepInput } from "../../src/supervisor/nodes/step-input.js";
import { normalizePlan } from "../../src/supervisor/plan.js";
import { AgentRegistry } from "../../src/supervisor/registry.js";
import type { TurnInput } from "../../src/supervisor/state.js";
import type { PlanStep, StepResult } from "../../src/supervisor/types.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { testState as state, testSupervisorDeps } from "./deps.js";

function deps(llm: ScriptedLlm, overrides: Partial<SupervisorDeps> = {}): SupervisorDeps {
  return testSupervisorDeps(llm, { stepAttempts: 3, ...overrides });
}

function turn(request: string, locale: TurnInput["locale"] = "en"): TurnInput {
  return {
    run_id: "run_test",
    request,
    format: "chat",
    locale,
    requester: "alice",
    started_at: new Date().toISOString(),
    attachments: [],
  };
}

function planStep(partial: Partial<PlanStep> & Pick<PlanStep, "id">): PlanStep {
  return {
    agent: "search",
    task: `task ${partial.id}`,
    description: "",
    depends_on: [],
    needs_approval: false,
    round: 0,
    ...partial,
  };
}

function result(id: number, status: StepResult["status"]): StepResult {
  return {
    step_id: id,
    agent: "search",
    task: "t",
    description: "d",
    depends_on: [],
    status,
    result: status,
    confidence: 0.5,
    duration_ms: 1,
    attempts: 1,
    round: 0,
  };
}

describe("intent_understanding", () => {
  it("classifies a contract request as contract and keeps English", async () => {
    const llm = new ScriptedLlm();
    const update = await intentUnderstandingNode(deps(llm))(
      state({ turn: turn("Please draft an NDA contract for ACME") }),
    );
    expect(update.user_intent).toMatchObject({ category: "contract", language: "en" });
    expect(llm.calls[0]?.purpose).toBe("intent");
    expect(update.usage?.calls).toBe(1);
  });

  it("keeps the request's Korean language for everything after it", async () => {
    const update = await intentUnderstandingNode(deps(new ScriptedLlm()))(
      state({ turn: turn("매출 데이터를 분석해 주세요", "ko") }),
    );
    expect(update.user_intent).toMatchObject({ category: "data", language: "ko" });
  });

  it("refuses a category outside the registry (schema enforced)", async () => {
    const llm = new ScriptedLlm({ handlers: { intent: () => ({ category: "astrology", summary: "x" }) } });
    await expect(intentUnderstandingNode(deps(llm))(state({ turn: turn("hello") }))).rejects.toMatchObject({
      code: "llm_invalid_output",
    });
  });
});

describe("planning", () => {
  const registry = new AgentRegistry(DEFAULT_AGENTS, { approvalAgents: ["contract", "code"] });
  const base = { registry, locale: "en" as const, request: "req", maxSteps: 8 };

  it("sends an unknown agent to search and says so in the step", () => {
    const [step] = normalizePlan(
      [
        {
          id: 1,
          agent: "email",
          task: "mail the team",
          description: "notify",
          depends_on: [],
          needs_approval: false,
        },
      ],
      base,
    );
    expect(step).toMatchObject({ agent: "search", requested_agent: "email" });
    expect(step?.description).toContain('unknown agent "email"');
  });

  it("renumbers steps and keeps only dependencies on earlier steps, so the plan is a DAG", () => {
    const plan = normalizePlan(
      [
        { id: 10, agent: "search", task: "a", description: "", depends_on: [20], needs_approval: false },
        {
          id: 20,
          agent: "data",
          task: "b",
          description: "",
          depends_on: [10, 99, 20],
          needs_approval: false,
        },
      ],
      base,
    );
    expect(plan.map((s) => [s.id, s.depends_on])).toEqual([
      [1, []],
      [2, [1]],
    ]);
  });

  it("applies approval policy: contract and code always, others when the planner flags them", () => {
    const plan = normalizePlan(
      [
        { id: 1, agent: "contract", task: "a", description: "", depends_on: [], needs_approval: false },
        { id: 2, agent: "search", task: "b", description: "", depends_on: [], needs_approval: true },
        { id: 3, agent: "web", task: "c", description: "", depends_on: [], needs_approval: false },
      ],
      base,
    );
    expect(plan.map((s) => s.needs_approval)).toEqual([true, true, false]);
    expect(plan[0]?.approval_reason).toContain("always need approval");
    expect(plan[1]?.approval_reason).toContain("planner marked");
  });

  it("lets OCTO_APPROVAL_AGENTS=none turn the agent policy off", () => {
    const [step] = normalizePlan(
      [{ id: 1, agent: "code", task: "a", description: "", depends_on: [], needs_approval: false }],
      { ...base, registry: new AgentRegistry(DEFAULT_AGENTS, { approvalAgents: [] }) },
    );
    expect(step?.needs_approval).toBe(false);
  });

  it("replaces meaningless tasks with the request and merges exact duplicates", () => {
    const plan = normalizePlan(
      [
        { id: 1, agent: "search", task: "]}, {", description: "{", depends_on: [], needs_approval: false },
        { id: 2, agent: "search", task: "req", description: "", depends_on: [], needs_approval: false },
        { id: 3, agent: "data", task: "count", description: "", depends_on: [2], needs_approval: false },
      ],
      base,
    );
    expect(plan.map((s) => [s.id, s.agent, s.task, s.description, s.depends_on])).toEqual([
      [1, "search", "req", "req", []],
      [2, "data", "count", "count", [1]],
    ]);
  });

  it("caps the plan at maxSteps", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      id: i + 1,
      agent: "search",
      task: `t${i}`,
      description: "",
      depends_on: [],
      needs_approval: false,
    }));
    expect(normalizePlan(many, { ...base, maxSteps: 5 })).toHaveLength(5);
  });

  it("the planner node lists the registry's agents in its prompt and returns the normalized plan", async () => {
    const llm = new ScriptedLlm();
    const update = await planningNode(deps(llm))(
      state({
        turn: turn("search the market, then analyse the data"),
        user_intent: { category: "search", language: "en", summary: "" },
      }),
    );
    expect(update.plan?.map((s) => [s.id, s.agent, s.depends_on])).toEqual([
      [1, "search", []],
      [2, "data", [1]],
    ]);
    const system = llm.calls[0]?.messages[0]?.content ?? "";
    for (const agent of ["search", "web", "contract", "code", "data"])
      expect(system).toContain(`- ${agent}:`);
  });

  it("replans once with the failures in view and continues the numbering", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        replan: ({ messages }) => {
          expect(messages[1]?.content).toContain("Step 2 (web) failed: timed out");
          expect(messages[1]?.content).toContain("Number the new steps from 3.");
          return {
            steps: [
              {
                id: 3,
                agent: "search",
                task: "look it up instead",
                description: "",
                depends_on: [1],
                needs_approval: false,
              },
              {
                id: 4,
                agent: "data",
                task: "then analyse",
                description: "",
                depends_on: [3],
                needs_approval: false,
              },
            ],
          };
        },
      },
    });
    const failed = { ...result(2, "failed"), agent: "web", error: "timed out" };
    const update = await planningNode(deps(llm))(
      state({
        turn: turn("x"),
        plan: [planStep({ id: 1 }), planStep({ id: 2, agent: "web" })],
        step_results: { 1: result(1, "completed"), 2: failed },
      }),
    );
    expect(update.replans).toBe(1);
    expect(update.plan?.slice(2)).toMatchObject([
      { id: 3, round: 1, task: "look it up instead", depends_on: [1] },
      { id: 4, round: 1, depends_on: [3] },
    ]);
  });
});

describe("schedule", () => {
  it("skips steps whose dependencies did not complete, transitively", () => {
    const plan = [
      planStep({ id: 1 }),
      planStep({ id: 2, depends_on: [1] }),
      planStep({ id: 3, depends_on: [2] }),
      planStep({ id: 4 }),
    ];
    const skipped = skippedByDependencies(plan, { 1: result(1, "failed") }, "en");
    expect(Object.keys(skipped)).toEqual(["2", "3"]);
    expect(skipped[2]?.result).toBe("Skipped because step 1 did not complete.");
    expect(skipped[3]?.result).toBe("Skipped because step 2 did not complete.");
  });

  it("dispatches every ready step at once, then replans once, then aggregates", () => {
    const route = routeAfterSchedule({ maxReplans: 1 });
    const plan = [planStep({ id: 1 }), planStep({ id: 2 }), planStep({ id: 3, depends_on: [1, 2] })];
    const first = route(state({ turn: turn("x"), plan }));
    expect(Array.isArray(first) && first.map((s) => (s as Send).args.step.id)).toEqual([1, 2]);
    const second = route(
      state({
        turn: turn("x"),
        plan,
        step_results: { 1: result(1, "completed"), 2: result(2, "completed") },
      }),
    );
    expect(Array.isArray(second) && second.map((s) => (s as Send).args.step.id)).toEqual([3]);
    const withFailure = { 1: result(1, "completed"), 2: result(2, "failed"), 3: result(3, "skipped") };
    expect(route(state({ turn: turn("x"), plan, step_results: withFailure }))).toBe("planning");
    expect(route(state({ turn: turn("x"), plan, step_results: withFailure, replans: 1 }))).toBe("aggregator");
  });
});

describe("execute_step", () => {
  const task = (agent: string): StepInput => ({
    step: planStep({ id: 7, agent }),
    turn: turn("x"),
    dependencies: [],
    history: [],
  });
  const attempt = (n: number) => ({ executionInfo: { nodeAttempt: n } }) as never;

  it("rethrows while attempts remain and records a failed step after the last one", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        "agent:data": () => {
          throw new OctoError("llm_timeout", "model timed out", { retryable: true });
        },
      },
    });
    const node = executeStepNode(deps(llm));
    await expect(node(task("data"), attempt(1))).rejects.toThrow("model timed out");
    await expect(node(task("data"), attempt(2))).rejects.toThrow("model timed out");
    const update = await node(task("data"), attempt(3));
    expect(update.step_results?.[7]).toMatchObject({
      status: "failed",
      attempts: 3,
      error: "model timed out",
      confidence: 0,
    });
  });

  it("records the agent's result, confidence, timings and usage", async () => {
    const llm = new ScriptedLlm({
      handlers: { "agent:data": () => ({ result: "median is 4", confidence: 0.65 }) },
    });
    const update = await executeStepNode(deps(llm))(task("data"), attempt(1));
    const recorded = update.step_results?.[7];
    expect(recorded).toMatchObject({
      status: "completed",
      result: "median is 4",
      confidence: 0.65,
      attempts: 1,
    });
    expect(Date.parse(recorded?.finished_at ?? "")).toBeGreaterThanOrEqual(
      Date.parse(recorded?.started_at ?? ""),
    );
    expect(recorded?.usage?.calls).toBe(1);
  });

  it("fails a step that outlives its timeout", async () => {
    const llm = new ScriptedLlm({ delayMs: 2_000 });
    const update = await executeStepNode(deps(llm, { stepTimeoutMs: 50, stepAttempts: 1 }))(
      task("data"),
      attempt(1),
    );
    expect(update.step_results?.[7]).toMatchObject({ status: "failed" });
  });
});

describe("aggregator", () => {
  it("builds the seed's aggregated_data from the results and the model's synthesis", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        aggregate: () => ({
          final_answer: "All good.",
          insights: [
            { category: "risk", description: "minor", importance: 0.2 },
            { category: "recommendation", description: "major", importance: 0.9 },
          ],
        }),
      },
    });
    const update = await aggregatorNode(deps(llm))(
      state({
        turn: turn("x"),
        step_results: {
          2: { ...result(2, "failed"), approval: { approval_id: "a", decision: "approve", by: "bob" } },
          1: result(1, "completed"),
        },
      }),
    );
    expect(update.aggregated_data).toMatchObject({
      final_answer: "All good.",
      execution_summary: { total_steps: 2, completed_steps: 1, failed_steps: 1, hitl_interactions: 1 },
      steps: [{ step_id: 1 }, { step_id: 2 }],
    });
    expect(update.aggregated_data?.insights.map((i) => i.description)).toEqual(["major", "minor"]);
  });

  it("answers with the raw results when the synthesis call fails", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        aggregate: () => {
          throw new OctoError("llm_invalid_output", "bad json twice");
        },
      },
    });
    const update = await aggregatorNode(deps(llm))(
      state({
        turn: turn("x"),
        step_results: { 1: { ...result(1, "completed"), result: "the real finding" } },
      }),
    );
    expect(update.aggregated_data?.final_answer).toContain("the real finding");
  });

  it("says plainly that nothing completed, without asking the model", async () => {
    const llm = new ScriptedLlm();
    const update = await aggregatorNode(deps(llm))(
      state({ turn: turn("x", "ko"), step_results: { 1: result(1, "failed") } }),
    );
    expect(update.aggregated_data?.final_answer).toBe("완료된 단계가 없어 드릴 답변이 없습니다.");
    expect(llm.calls).toHaveLength(0);
  });
});
