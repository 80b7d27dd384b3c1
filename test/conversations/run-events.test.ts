import { describe, expect, it } from "vitest";
import { errorEvent, RunEventSchema } from "../../src/conversations/index.js";
import { progressEvents, RunEventFactory } from "../../src/conversations/run-events.js";
import { classifyFailure } from "../../src/llm/failures.js";
import type { PlanStep, StepResult } from "../../src/supervisor/types.js";
import { OctoError } from "../../src/vocabulary/index.js";

const events = new RunEventFactory("console:t", "run_1", "en");

const step: PlanStep = {
  id: 1,
  agent: "search",
  task: "find cats",
  description: "",
  depends_on: [],
  needs_approval: false,
  round: 0,
};

describe("runner progress -> run events", () => {
  it("makes a status of a phase and says execution begins with a plan", () => {
    expect(progressEvents({ kind: "phase", phase: "replanning" }, events)).toMatchObject([
      { type: "status", status: "replanning", threadKey: "console:t", runId: "run_1" },
    ]);
    expect(progressEvents({ kind: "plan", steps: [step], replan: false }, events)).toMatchObject([
      { type: "plan", steps: [step], replan: false },
      { type: "status", status: "executing" },
    ]);
  });

  it("carries step starts and summarized step results, each a valid run event", () => {
    const result = {
      step_id: 1,
      agent: "search",
      task: "find cats",
      status: "completed",
      result: `cats ${"x".repeat(400)}`,
      confidence: 0.9,
      duration_ms: 12,
    } as unknown as StepResult;
    const out = [
      ...progressEvents(
        { kind: "step_started", step_id: 1, agent: "search", task: "find cats", attempt: 1 },
        events,
      ),
      ...progressEvents({ kind: "step_finished", result }, events),
    ];
    expect(out).toMatchObject([
      { type: "step_started", step_id: 1, attempt: 1 },
      { type: "step_finished", step_id: 1, status: "completed", ms: 12, confidence: 0.9 },
    ]);
    expect([...(out[1] as { summary: string }).summary].length).toBe(280);
    for (const event of out) expect(RunEventSchema.safeParse(event).success).toBe(true);
  });
});

describe("errorEvent", () => {
  it("names the thread and run and takes retryable from the error's own flag", () => {
    const timeout = errorEvent(new OctoError("llm_timeout", "slow", { params: { ms: 5 } }), {
      threadKey: "slack:T:C:1",
      runId: "run_2",
      locale: "en",
    });
    expect(timeout).toMatchObject({
      type: "error",
      threadKey: "slack:T:C:1",
      runId: "run_2",
      kind: "llm_timeout",
    });
    expect(timeout.retryable).toBe(true);
    const unauthorized = classifyFailure(Object.assign(new Error("401"), { status: 401 }), "openai").error;
    expect(errorEvent(unauthorized, { threadKey: "t", locale: "en" })).toMatchObject({
      kind: "llm_unavailable",
      retryable: false,
      runId: "",
    });
    expect(RunEventSchema.safeParse(timeout).success).toBe(true);
  });

  it("reports an unexpected error as internal, worth a retry, and carries a retry id when given", () => {
    const event = events.error(new Error("socket hang up"), "rt_1");
    expect(event).toMatchObject({
      kind: "internal",
      retryable: true,
      retry_id: "rt_1",
      threadKey: "console:t",
    });
    expect(event.message).not.toContain("socket");
  });
});
