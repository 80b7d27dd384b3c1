import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/conversations/events.js";
import { discord, slack } from "../../src/renderers/index.js";
import {
  applyRunEvent,
  initialProgress,
  type ProgressState,
  progressCounts,
  runElapsedMs,
  stepElapsedMs,
} from "../../src/renderers/progress.js";
import { fixtureEvents, fixtureResult } from "./fixtures.js";

const base = { threadKey: "discord:1:2:3", runId: "run_9", locale: "en" as const };
const at = (seconds: number) =>
  new Date(Date.parse("2025-11-03T09:00:00.000Z") + seconds * 1000).toISOString();
const fold = (events: RunEvent[], state: ProgressState = initialProgress("en")) =>
  events.reduce(applyRunEvent, state);

function plan(ids: number[], replan = false): RunEvent {
  return {
    ...base,
    at: at(1),
    type: "plan",
    replan,
    steps: ids.map((id) => ({
      id,
      agent: "search",
      task: `task ${id}`,
      description: "",
      depends_on: id > 1 ? [id - 1] : [],
      needs_approval: false,
      round: replan ? 1 : 0,
    })),
  };
}

describe("progress reducer", () => {
  it("follows the fixture run to its final state", () => {
    const state = fold(fixtureEvents("en"));
    expect(state.finished).toBe(true);
    expect(state.status).toBe("done");
    expect(state.steps.map((step) => [step.id, step.status])).toEqual([
      [1, "completed"],
      [2, "completed"],
      [3, "completed"],
      [4, "skipped"],
      [5, "failed"],
    ]);
    expect(state.approvals.map((approval) => approval.decision?.decision)).toEqual(["edit", "reject"]);
    expect(runElapsedMs(state)).toBe(31_400);
    expect(progressCounts(state)).toMatchObject({ total: 5, done: 5, completed: 3 });
  });

  it("never mutates the state it is given", () => {
    const before = fold([plan([1, 2])]);
    const frozen = JSON.stringify(before);
    applyRunEvent(before, {
      ...base,
      at: at(2),
      type: "step_started",
      step_id: 1,
      agent: "search",
      task: "task 1",
      attempt: 1,
    });
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it("measures running steps against the injected clock and finished ones by their own time", () => {
    const state = fold([
      plan([1, 2]),
      { ...base, at: at(2), type: "step_started", step_id: 1, agent: "search", task: "task 1", attempt: 1 },
      { ...base, at: at(3), type: "step_started", step_id: 2, agent: "search", task: "task 2", attempt: 1 },
      {
        ...base,
        at: at(4),
        type: "step_finished",
        step_id: 2,
        agent: "search",
        status: "completed",
        summary: "ok",
        confidence: 0.9,
        ms: 1234,
      },
    ]);
    const [first, second] = state.steps;
    expect(stepElapsedMs(first!, at(10))).toBe(8000);
    expect(stepElapsedMs(first!, state.updatedAt)).toBe(2000);
    expect(stepElapsedMs(second!, at(10))).toBe(1234);
  });

  it("keeps finished steps through a replan and adds the new ones", () => {
    const state = fold([
      plan([1, 2]),
      {
        ...base,
        at: at(2),
        type: "step_finished",
        step_id: 1,
        agent: "search",
        status: "completed",
        summary: "",
        confidence: 1,
        ms: 5,
      },
      {
        ...base,
        at: at(3),
        type: "step_finished",
        step_id: 2,
        agent: "search",
        status: "failed",
        summary: "",
        confidence: 0,
        ms: 5,
        error: "boom",
      },
      plan([3], true),
    ]);
    expect(state.replanned).toBe(true);
    expect(state.steps.map((step) => [step.id, step.status])).toEqual([
      [1, "completed"],
      [2, "failed"],
      [3, "pending"],
    ]);
  });

  it("shows waiting steps, then skips rejected ones and requeues edited ones with the new task", () => {
    const card = (step: number) => ({
      approval_id: `apr_${step}`,
      step,
      agent: "contract",
      task: `task ${step}`,
      reason: "risky",
      requester: "U1",
      expires_at: at(600),
    });
    let state = fold([plan([1, 2]), { ...base, at: at(2), type: "approval_requested", approval: card(1) }]);
    expect(state.steps[0]?.status).toBe("waiting");
    expect(state.status).toBe("waiting_approval");
    state = fold(
      [
        { ...base, at: at(3), type: "approval_requested", approval: card(2) },
        {
          ...base,
          at: at(4),
          type: "approval_decided",
          approval_id: "apr_1",
          step: 1,
          agent: "contract",
          task: "task 1",
          decision: "reject",
          by: "U2",
          approval: card(1),
        },
        {
          ...base,
          at: at(5),
          type: "approval_decided",
          approval_id: "apr_2",
          step: 2,
          agent: "contract",
          task: "task 2",
          decision: "edit",
          by: "U2",
          approval: card(2),
          edited_task: "safer task",
        },
      ],
      state,
    );
    expect(state.steps.map((step) => [step.status, step.task])).toEqual([
      ["skipped", "task 1"],
      ["pending", "safer task"],
    ]);
    expect(state.approvals.map((approval) => approval.decision)).toEqual([
      { decision: "reject", by: "U2", at: at(4) },
      { decision: "edit", by: "U2", at: at(5), editedTask: "safer task" },
    ]);
  });

  it("adds steps it never saw planned and records errors", () => {
    const state = fold([
      { ...base, at: at(1), type: "step_started", step_id: 7, agent: "web", task: "fetch", attempt: 2 },
      { ...base, at: at(2), type: "error", kind: "llm_timeout", message: "timed out", retryable: true },
    ]);
    expect(state.steps).toMatchObject([{ id: 7, status: "running", attempt: 2 }]);
    expect(state.error).toEqual({ kind: "llm_timeout", message: "timed out", retryable: true });
    expect(state.finished).toBe(true);
  });

  it("marks steps still running when the result arrives from the result's own outcomes", () => {
    const result = fixtureResult("en", "chat");
    const state = fold([
      plan([1, 2, 3, 4, 5, 6]),
      { ...base, at: at(2), type: "step_started", step_id: 6, agent: "search", task: "task 6", attempt: 1 },
      { ...base, at: at(9), type: "result", result },
    ]);
    expect(state.steps.map((step) => step.status)).toEqual([
      "completed",
      "completed",
      "completed",
      "skipped",
      "failed",
      "skipped",
    ]);
  });
});

describe("progress cards for long plans", () => {
  const ids = Array.from({ length: 200 }, (_, index) => index + 1);
  const started = ids.slice(0, 150).map(
    (id): RunEvent => ({
      ...base,
      at: at(2),
      type: "step_finished",
      step_id: id,
      agent: "search",
      status: id % 10 === 0 ? "failed" : "completed",
      summary: "x".repeat(900),
      confidence: 1,
      ms: 10,
      error: "e".repeat(900),
    }),
  );
  const state = fold([
    plan(ids),
    ...started,
    {
      ...base,
      at: at(3),
      type: "step_started",
      step_id: 151,
      agent: "search",
      task: "t".repeat(5000),
      attempt: 1,
    },
  ]);

  it("fits Slack in one updatable message and counts the steps left out", () => {
    const message = slack.renderProgress(state, "en");
    expect(slack.SlackMessageSchema.safeParse(message).success).toBe(true);
    const text = JSON.stringify(message);
    expect(text).toContain("#151");
    expect(text).toMatch(/\d+ more step\(s\)/);
  });

  it("fits one Discord embed and counts the steps left out", () => {
    const message = discord.renderProgress(state, "ko");
    expect(discord.DiscordMessageSchema.safeParse(message).success).toBe(true);
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds?.[0]?.description).toContain("#151");
    expect(message.embeds?.[0]?.description).toMatch(/그 밖의 \d+개 단계/);
  });
});
