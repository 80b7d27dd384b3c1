import { describe, expect, it } from "vitest";
import { runEval } from "../../bench/eval/harness.js";
import { type CaseOutcome, computeMetrics, depsRight } from "../../bench/eval/metrics.js";
import { EVAL_SET, type EvalCase } from "../../bench/eval/set.js";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import type { PlanStep } from "../../src/supervisor/types.js";
import { promptAgents } from "../support/prompt-agents.js";

const AGENTS = ["search", "web", "contract", "code", "data"];
const step = (id: number, agent: string, depends_on: number[] = []): PlanStep => ({
  id,
  agent,
  task: `task ${id}`,
  description: "",
  depends_on,
  needs_approval: false,
  round: 0,
});

describe("the eval set", () => {
  it("has at least 60 requests, half Korean, every agent, multi-step and follow-ups both ways", () => {
    expect(EVAL_SET.length).toBeGreaterThanOrEqual(60);
    const ko = EVAL_SET.filter((c) => c.id.startsWith("ko"));
    expect(ko.length * 2).toBe(EVAL_SET.length);
    expect(ko.every((c) => /[가-힣]/.test(c.request))).toBe(true);
    expect(new Set(EVAL_SET.flatMap((c) => c.agents))).toEqual(new Set(AGENTS));
    expect(EVAL_SET.filter((c) => c.deps?.some((d) => d.length > 0)).length).toBeGreaterThanOrEqual(6);
    expect(EVAL_SET.filter((c) => c.refersBack === true).length).toBeGreaterThanOrEqual(4);
    expect(EVAL_SET.filter((c) => c.refersBack === false).length).toBeGreaterThanOrEqual(4);
    expect(new Set(EVAL_SET.map((c) => c.id)).size).toBe(EVAL_SET.length);
  });
});

describe("the eval metrics", () => {
  const single: EvalCase = { id: "en-1", request: "r", agents: ["search"] };
  const chain: EvalCase = { id: "ko-2", request: "r", agents: ["search", "data"], deps: [[], [1]] };
  const follow: EvalCase = { id: "en-3", request: "r", agents: ["code"], history: [], refersBack: true };
  const outcome = (expected: EvalCase, plans: CaseOutcome["plans"], extra: Partial<CaseOutcome> = {}) =>
    ({
      id: expected.id,
      locale: expected.id.startsWith("ko") ? "ko" : "en",
      expected,
      plans,
      languageOk: true,
      ms: 10,
      ...extra,
    }) as CaseOutcome;

  it("scores agent choice per variant, validity, dependencies, language, history and answers", () => {
    const outcomes = [
      outcome(
        single,
        { model: [step(1, "web")], prior: [step(1, "search")], combined: [step(1, "search")] },
        {
          answer: { degenerate: true, fallback: true, shownDegenerate: false },
        },
      ),
      outcome(chain, {
        model: undefined,
        prior: [step(1, "search"), step(2, "data", [1])],
        combined: [step(1, "search"), step(2, "data")],
      }),
      outcome(
        follow,
        { model: [step(1, "code")], prior: [step(1, "search")], combined: [step(1, "code")] },
        {
          languageOk: false,
          sawHistory: false,
          answer: { degenerate: false, fallback: false, shownDegenerate: true },
          ms: 40,
        },
      ),
    ];
    const m = computeMetrics(outcomes, AGENTS);
    expect(m.accuracy).toEqual({ model: 0.333, prior: 0.667, combined: 1 });
    expect(m.validPlans).toEqual({ model: 0.667, prior: 1, combined: 1 });
    expect(m.dependencies).toEqual({ cases: 1, correct: 0, rate: 0 });
    expect(m.languageMatch).toBe(0.667);
    expect(m.historyFilter).toEqual({ cases: 1, correct: 0, rate: 0 });
    expect(m.answers).toEqual({
      cases: 2,
      degenerate: 1,
      degenerateRate: 0.5,
      fallbacks: 1,
      shownDegenerate: 1,
    });
    expect(m.byLocale).toEqual({
      ko: { cases: 1, combinedAccuracy: 1 },
      en: { cases: 2, combinedAccuracy: 1 },
    });
    expect(m.totalMs).toBe(60);
    expect(m.msPerCase).toBe(20);
  });

  it("counts dependencies by position, whatever the ids", () => {
    expect(depsRight([step(7, "search"), step(9, "data", [7])], chain)).toBe(true);
    expect(depsRight([step(7, "search"), step(9, "data", [])], chain)).toBe(false);
    expect(depsRight([step(1, "data"), step(2, "search", [1])], chain)).toBe(false);
  });
});

describe("the eval harness on the scripted model", () => {
  it("runs intent, planning and answers, and measures what the model and the prior chose", async () => {
    const cases: EvalCase[] = [
      { id: "en-a", request: "Draft an NDA between Acme Corp and Beta LLC", agents: ["contract"] },
      {
        id: "ko-b",
        request: "서울 인구를 검색한 다음 차트로 비교해 줘",
        agents: ["search", "data"],
        deps: [[], [1]],
      },
      {
        id: "en-c",
        request: "Write a Python function that sorts numbers",
        agents: ["code"],
        history: [{ request: "Draft an NDA", answer: "1. Parties" }],
        refersBack: false,
      },
    ];
    // The model says search for everything and answers the NDA with "10", twice.
    const llm = new ScriptedLlm({
      handlers: {
        plan: ({ context }) => ({
          steps: [
            { id: 1, agent: "search", task: String(context.request), depends_on: [], needs_approval: false },
          ],
        }),
        "agent:contract": () => ({ result: "10", confidence: 0.9 }),
        "agent:contract:retry": () => ({ result: "10", confidence: 0.9 }),
      },
    });
    // Agents that answer with the model alone: what is measured here is how junk answers are counted.
    const report = await runEval(llm, cases, { answer: () => true, agents: promptAgents() });
    const m = report.metrics;
    expect(report.provider).toBe("scripted");
    expect(m.cases).toBe(3);
    expect(m.accuracy.model).toBe(0);
    // Alone, the prior also plans a data step for "numbers"; weighed against the model's step it does not.
    expect(m.accuracy.prior).toBe(0.667);
    expect(m.accuracy.combined).toBe(1);
    expect(m.dependencies).toEqual({ cases: 1, correct: 1, rate: 1 });
    expect(m.languageMatch).toBe(1);
    expect(m.historyFilter).toEqual({ cases: 1, correct: 1, rate: 1 });
    expect(m.answers).toMatchObject({ cases: 3, degenerate: 1, fallbacks: 1, shownDegenerate: 0 });
    expect(llm.calls.filter((c) => c.purpose === "plan")).toHaveLength(3);
    // The follow-up that does not refer back saw no earlier turn in its planner prompt.
    const third = llm.calls.filter((c) => c.purpose === "plan")[2];
    expect(JSON.stringify(third?.messages)).not.toContain("1. Parties");
  });
});
