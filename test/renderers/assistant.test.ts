import { describe, expect, it } from "vitest";
import { splitFormatPrefix } from "../../src/delivery/index.js";
import { applyRunEvent, initialProgress, slack } from "../../src/renderers/index.js";
import type { ProgressState } from "../../src/renderers/progress.js";
import { fixtureEvents } from "./fixtures.js";

const stateAfter = (count: number): ProgressState =>
  fixtureEvents("ko").slice(0, count).reduce(applyRunEvent, initialProgress("ko"));

describe("the assistant surface's words", () => {
  it("suggests at most four prompts, each choosing its format as a message may", () => {
    for (const locale of ["en", "ko"] as const) {
      const { prompts } = slack.renderSuggestedPrompts(locale);
      expect(prompts.length).toBeLessThanOrEqual(4);
      expect(prompts.map((prompt) => splitFormatPrefix(prompt.message).format)).toEqual([
        "chat",
        "graph",
        "report",
        "json",
      ]);
    }
  });

  it("shows the running step while there is one, and nothing once the run ends or waits", () => {
    const events = fixtureEvents("ko");
    const started = events.findIndex((event) => event.type === "step_started") + 1;
    expect(slack.renderAssistantStatus(stateAfter(started), "ko")).toMatch(/^\d+단계 실행 중 \(/);
    expect(slack.renderAssistantStatus(stateAfter(events.length), "ko")).toBe("");
    const waiting = { ...stateAfter(2), status: "waiting_approval" as const };
    expect(slack.renderAssistantStatus(waiting, "ko")).toBe("");
    expect(slack.renderAssistantStatus(initialProgress("en"), "en")).toBe("");
    expect(slack.renderAssistantStatus({ ...initialProgress("en"), status: "planning" }, "en")).toBe(
      "is working on your request...",
    );
  });
});
