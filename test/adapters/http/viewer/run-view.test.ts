import { describe, expect, it } from "vitest";
import { emptyFold, foldRunEvent, runPageView } from "../../../../src/adapters/http/viewer/index.js";
import type { RunEvent } from "../../../../src/conversations/events.js";
import { STATE_COLOUR } from "../../../../src/renderers/index.js";
import { fixtureEvents } from "../../../renderers/fixtures.js";

const fold = (events: RunEvent[]) =>
  events.reduce((state, event, index) => foldRunEvent(state, index + 1, event), emptyFold());

describe("the run page's state", () => {
  const events = fixtureEvents("ko");

  it("shows a planned step pending, then running, then finished, in the colours the pictures use", () => {
    const planAt = events.findIndex((event) => event.type === "plan");
    const planned = runPageView(fold(events.slice(0, planAt + 1)));
    expect(planned.steps.map((step) => step.state)).toEqual(Array(5).fill("pending"));
    expect(planned.steps[0]).toMatchObject({
      id: 1,
      agent: "search",
      colour: STATE_COLOUR.pending,
      label: "1. search\n관련 법령 조사",
      heading: "1단계",
      stateLabel: "대기",
    });
    // Edges come from the plan's dependencies.
    expect(planned.steps.map((step) => step.dependsOn)).toEqual(
      (events[planAt] as Extract<RunEvent, { type: "plan" }>).steps.map((step) => step.depends_on),
    );
    const startedAt = events.findIndex((event) => event.type === "step_started" && event.step_id === 1);
    const running = runPageView(fold(events.slice(0, startedAt + 1)));
    expect(running.steps[0]).toMatchObject({
      state: "running",
      colour: STATE_COLOUR.running,
      ink: "#ffffff",
    });
    expect(running.done).toBe(false);
    expect(running.labels.selectStep).toBe("단계를 클릭하면 작업, 결과, 시간이 보입니다.");
    expect(running.seq).toBe(startedAt + 1);
  });

  it("says a step waits for approval, and who decided it", () => {
    const askedAt = events.findIndex((event) => event.type === "approval_requested");
    const asked = events[askedAt] as Extract<RunEvent, { type: "approval_requested" }>;
    const waiting = runPageView(fold(events.slice(0, askedAt + 1)));
    const step = waiting.steps.find((candidate) => candidate.id === asked.approval.step);
    expect(step).toMatchObject({ state: "waiting", colour: STATE_COLOUR.waiting });
    expect(step?.approval).toContain("승인 대기");
    const decided = runPageView(fold(events.slice(0, askedAt + 2)));
    expect(decided.steps.find((candidate) => candidate.id === asked.approval.step)?.approval).toMatch(
      /\(U\w+\)/,
    );
  });

  it("takes the full results, timings and sources from the answer once it comes", () => {
    const result = events.at(-1) as Extract<RunEvent, { type: "result" }>;
    const [first] = result.result.step_results;
    if (!first) throw new Error("no step");
    first.result = `${"긴 결과 ".repeat(100)}<script>alert(1)</script>`;
    first.sources = [
      { title: "law.go.kr", url: "https://www.law.go.kr/" },
      { title: "sneaky", url: "javascript:alert(1)" },
      { title: "memo.pdf" },
    ];
    const done = runPageView(fold(events));
    expect(done.done).toBe(true);
    expect(done.answer).toBe(result.result.aggregated_data.final_answer);
    expect(done.request).toBe(result.result.request);
    expect(done.summary).toMatch(/완료/);
    const step = done.steps[0];
    // Text stays text: the page puts it in with textContent, so nothing here is escaped or cut.
    expect(step?.result).toBe(first.result);
    expect(step?.resultFinal).toBe(true);
    expect(step?.sources).toEqual([
      { title: "law.go.kr", url: "https://www.law.go.kr/" },
      { title: "sneaky" },
      { title: "memo.pdf" },
    ]);
    expect(step?.duration).toMatch(/초$/);
    expect(step?.confidence).toBeDefined();
    expect(done.steps.find((candidate) => candidate.state === "failed")?.error).toBeTruthy();
  });

  it("shows a run's error, and an empty run before any event", () => {
    const empty = runPageView(emptyFold());
    expect(empty).toMatchObject({ steps: [], done: false, locale: "en", seq: 0 });
    const [first] = events as [RunEvent];
    const failed = runPageView(
      fold([
        first,
        {
          ...first,
          type: "error",
          kind: "llm_timeout",
          message: "모델이 응답하지 않았습니다.",
          retryable: true,
        },
      ]),
    );
    expect(failed.error).toBe("모델이 응답하지 않았습니다.");
    expect(failed.done).toBe(false);
  });
});
