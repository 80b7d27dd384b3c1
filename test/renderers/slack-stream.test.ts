import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/conversations/events.js";
import { applyRunEvent, initialProgress, type ProgressState, slack } from "../../src/renderers/index.js";
import type { RunResult } from "../../src/supervisor/types.js";
import { resultArbitrary } from "./arbitrary.js";
import { fixtureResult } from "./fixtures.js";

/**
 * What Slack's native stream shows (renderers/slack/stream.ts): every write within the limits table,
 * no mention markup from user or model text, tasks named and worded as the plan and the locale say.
 */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** The progress a delivery would have folded from the run's events. */
function progressOf(result: RunResult, until = Number.POSITIVE_INFINITY): ProgressState {
  const base = { threadKey: "slack:T1:C1:1.1", runId: "run_1", locale: result.locale, at: result.started_at };
  const events: RunEvent[] = [{ ...base, type: "plan", steps: result.plan, replan: false }];
  for (const step of result.step_results.slice(0, until)) {
    events.push({
      ...base,
      type: "step_started",
      step_id: step.step_id,
      agent: step.agent,
      task: step.task,
      attempt: 1,
    });
    events.push({
      ...base,
      type: "step_finished",
      step_id: step.step_id,
      agent: step.agent,
      status: step.status,
      summary: step.result.slice(0, 280),
      confidence: step.confidence,
      ms: step.duration_ms,
      ...(step.error ? { error: step.error } : {}),
      ...(step.sources ? { sources: step.sources } : {}),
    });
  }
  return events.reduce(applyRunEvent, initialProgress(result.locale));
}

function expectWithinLimits(update: unknown): void {
  const parsed = slack.SlackStreamUpdateSchema.safeParse(update);
  expect(parsed.success, parsed.error?.message).toBe(true);
  for (const text of strings(update)) expect(text).not.toMatch(/<[!@#]/);
}

describe("Slack stream renderer", () => {
  it("keeps every write, closing and follow-up within Slack's limits, without mentions", async () => {
    await fc.assert(
      fc.asyncProperty(resultArbitrary(["chat", "json"]), fc.nat(6), async (result, done) => {
        expectWithinLimits(slack.slackStream.progress(progressOf(result, done), result.locale));
        const state = progressOf(result);
        const answer = await slack.slackStream.answer(state, result, result.locale);
        expectWithinLimits(answer.update);
        expect(answer.update.tasks?.length).toBe(Math.min(result.plan.length, slack.SLACK_LIMITS.planTasks));
        for (const message of [answer.closing, ...answer.followUps].filter((m) => m !== undefined)) {
          const parsed = slack.SlackMessageSchema.safeParse(message);
          expect(parsed.success, parsed.error?.message).toBe(true);
          expect(slack.stopBlocks(message).length).toBeLessThanOrEqual(slack.SLACK_LIMITS.stopStreamBlocks);
          for (const text of strings(message)) expect(text).not.toMatch(/<[!@#]/);
        }
        // An answer longer than one write continues somewhere: a follow-up or answer.md.
        const answerText = result.aggregated_data.final_answer.trim();
        if (result.format === "chat" && answerText.length > slack.SLACK_LIMITS.streamMarkdown)
          expect(
            answer.followUps.length > 0 || answer.files.some((file) => file.filename === "answer.md"),
          ).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("names each task after its step and words its details in the run's language", async () => {
    for (const locale of ["en", "ko"] as const) {
      const result = fixtureResult(locale, "chat");
      const { title, tasks } = slack.slackStream.progress(progressOf(result, 2), locale);
      const [first, second, third] = tasks;
      expect(first).toMatchObject({
        id: "1",
        status: "complete",
        title: `1. ${result.plan[0]?.description}`,
      });
      expect(first?.details).toMatch(locale === "ko" ? /에이전트 · [\d.]+초$/ : /agent · [\d.]+s$/);
      expect(second?.id).toBe("2");
      expect(third).toMatchObject({ status: "pending" });
      expect(title.length).toBeGreaterThan(0);
    }
  });

  it("shows a failed step as error with its reason, a skipped one as done with why it did not run", async () => {
    const result = fixtureResult("en", "chat");
    const answer = await slack.slackStream.answer(progressOf(result), result, "en");
    const failed = result.step_results.find((step) => step.status === "failed");
    const rejected = result.step_results.find((step) => step.approval?.decision === "reject");
    const byId = new Map(answer.update.tasks?.map((task) => [task.id, task]));
    expect(byId.get(String(failed?.step_id))).toMatchObject({ status: "error", output: expect.any(String) });
    expect(byId.get(String(rejected?.step_id))).toMatchObject({
      status: "complete",
      output: "Skipped: the step was rejected",
    });
  });

  it("closes a streamed answer with the View run link before the feedback buttons, when given one", async () => {
    const result = fixtureResult("ko", "chat");
    const runUrl = "https://octo.example.com/runs/abc.def";
    const answer = await slack.slackStream.answer(progressOf(result), result, "ko", {
      feedbackRunId: "run_1",
      runUrl,
    });
    const blocks = slack.stopBlocks(answer.closing);
    const at = blocks.findIndex((block) => JSON.stringify(block).includes(runUrl));
    expect(blocks[at]).toMatchObject({
      type: "actions",
      elements: [
        {
          type: "button",
          url: runUrl,
          action_id: slack.SLACK_VIEW_RUN_ACTION,
          text: { text: "🔎 실행 보기" },
        },
      ],
    });
    expect(blocks.at(-1)?.type).toBe("context_actions");
    expect(at).toBe(blocks.length - 2);
    const without = await slack.slackStream.answer(progressOf(result), result, "ko");
    expect(JSON.stringify(without)).not.toContain("octo_view_run");
  });

  it("links http(s) sources only, and names the documents a step cited in its details", () => {
    const result = fixtureResult("en", "chat");
    const [step] = result.step_results;
    if (!step) throw new Error("no step");
    step.sources = [
      { title: "Statute", url: "https://law.example/statute" },
      { title: "Sneaky", url: "javascript:alert(1)" },
      { title: "memo.pdf" },
    ];
    const [task] = slack.slackStream.progress(progressOf(result, 1), "en").tasks;
    expect(task?.sources).toEqual([{ url: "https://law.example/statute", text: "Statute" }]);
    expect(task?.details).toContain("cited: Sneaky, memo.pdf");
  });

  it("folds the steps past the plan's cap into one task that counts them", () => {
    const result = fixtureResult("en", "chat");
    const template = result.plan[0];
    if (!template) throw new Error("no step");
    result.plan = Array.from({ length: 60 }, (_, i) => ({ ...template, id: i + 1 }));
    result.step_results = [];
    const { tasks } = slack.slackStream.progress(progressOf(result), "en");
    expect(tasks).toHaveLength(slack.SLACK_LIMITS.planTasks);
    expect(tasks.at(-1)).toMatchObject({ id: "more", title: "11 more step(s)", status: "pending" });
  });
});
