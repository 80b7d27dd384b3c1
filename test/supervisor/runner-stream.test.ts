import { describe, expect, it } from "vitest";
import { StreamTranslator } from "../../src/supervisor/index.js";
import type { PlanStep, StepResult } from "../../src/supervisor/types.js";

const step: PlanStep = {
  id: 1,
  agent: "search",
  task: "find cats",
  description: "",
  depends_on: [],
  needs_approval: false,
  round: 0,
};

const finished = { step_id: 1, agent: "search", status: "completed" } as unknown as StepResult;

describe("the runner's stream translator (LangGraph updates + custom chunks -> neutral progress)", () => {
  it("turns node progress into phases, and a planning node into planning or replanning", () => {
    const translate = new StreamTranslator();
    const phases = [
      ["custom", { kind: "node_started", node: "intent_understanding" }],
      ["custom", { kind: "node_started", node: "planning" }],
      ["custom", { kind: "node_started", node: "planning", replan: true }],
      ["custom", { kind: "node_started", node: "aggregator" }],
    ].flatMap((chunk) => translate.translate(chunk).progress);
    expect(phases).toEqual([
      { kind: "phase", phase: "understanding" },
      { kind: "phase", phase: "planning" },
      { kind: "phase", phase: "replanning" },
      { kind: "phase", phase: "aggregating" },
    ]);
  });

  it("announces generating once for generators running in parallel", () => {
    const translate = new StreamTranslator();
    const progress = ["chat_generator", "graph_generator", "report_generator", "json_generator"].flatMap(
      (node) => translate.translate(["custom", { kind: "node_started", node }]).progress,
    );
    expect(progress).toEqual([{ kind: "phase", phase: "generating" }]);
  });

  it("passes step starts on and reads plans and step results from node updates", () => {
    const translate = new StreamTranslator();
    const started = translate.translate([
      "custom",
      { kind: "step_started", step_id: 1, agent: "search", task: "find cats", attempt: 2 },
    ]);
    expect(started.progress).toEqual([
      { kind: "step_started", step_id: 1, agent: "search", task: "find cats", attempt: 2 },
    ]);
    expect(translate.translate(["updates", { planning: { plan: [step] } }]).progress).toEqual([
      { kind: "plan", steps: [step], replan: false },
    ]);
    expect(
      translate.translate(["updates", { planning: { plan: [{ ...step, id: 2, round: 1 }] } }]).progress,
    ).toEqual([{ kind: "plan", steps: [{ ...step, id: 2, round: 1 }], replan: true }]);
    expect(
      translate.translate(["updates", { execute_step: { step_results: { 1: finished } } }]).progress,
    ).toEqual([{ kind: "step_finished", result: finished }]);
  });

  it("hands interrupts over with their ids, and ignores updates replayed from LangGraph's cache", () => {
    const translate = new StreamTranslator();
    const asked = translate.translate([
      "updates",
      { __interrupt__: [{ id: "int_1", value: { approval_id: "ap_1" } }, { value: "no id" }] },
    ]);
    expect(asked).toEqual({ progress: [], interrupts: [{ id: "int_1", value: { approval_id: "ap_1" } }] });
    const cached = translate.translate([
      "updates",
      { execute_step: { step_results: { 1: finished } }, __metadata__: { cached: true } },
    ]);
    expect(cached).toEqual({ progress: [], interrupts: [] });
  });

  it("ignores chunks of other shapes and unknown progress", () => {
    const translate = new StreamTranslator();
    expect(translate.translate({ not: "a pair" })).toEqual({ progress: [], interrupts: [] });
    expect(translate.translate(["messages", {}])).toEqual({ progress: [], interrupts: [] });
    expect(translate.translate(["custom", { kind: "other" }])).toEqual({ progress: [], interrupts: [] });
    expect(translate.translate(["custom", { kind: "node_started", node: "respond" }])).toEqual({
      progress: [],
      interrupts: [],
    });
  });
});
