import { describe, expect, it } from "vitest";
import { en } from "../../src/i18n/en.js";
import { ko } from "../../src/i18n/ko.js";
import { slack } from "../../src/renderers/index.js";
import type { Notice } from "../../src/renderers/types.js";

const long = "word ".repeat(2_000);
const notices: Notice[] = [
  { kind: "usage", problem: "empty", detail: "", command: "/octo" },
  { kind: "usage", problem: "unknown_format", detail: "pdf", command: "/octo" },
  { kind: "usage", problem: "bad_rewind", detail: "-1", command: "/octo" },
  {
    kind: "history",
    command: "/octo",
    history: {
      title: long,
      status: "idle",
      turnCount: 40,
      turns: Array.from({ length: 40 }, (_, i) => ({
        index: i + 1,
        request: `${long} <!channel>`,
        feedback: { up: i, down: 40 - i },
      })),
      pending: [{ step: 2, agent: "contract" }],
      checkpoints: 80,
      feedback: { up: 780, down: 820 },
    },
  },
  { kind: "no_conversation" },
  { kind: "nothing_to_forget" },
  { kind: "forgotten", title: `${long}*x*` },
  { kind: "rewound", turns: 2, remaining: 1 },
  { kind: "failed", message: "This conversation has only 1 turn(s)" },
  { kind: "feedback", rating: "up", previous: undefined },
  { kind: "feedback", rating: "down", previous: "up" },
  { kind: "feedback", rating: "down", previous: "down" },
];

describe("Slack notices and the edit modal", () => {
  for (const locale of ["en", "ko"] as const) {
    it(`stay within Slack's limits (${locale})`, () => {
      for (const notice of notices) {
        const message = slack.renderNotice(notice, locale);
        expect(slack.SlackMessageSchema.safeParse(message).error).toBeUndefined();
      }
      for (const kind of ["not_in_channel", "upload_failed"] as const) {
        const message = slack.renderNotice(
          kind === "upload_failed" ? { kind, error: "x" } : { kind },
          locale,
        );
        expect(message.blocks).toEqual([]);
        expect(message.text.length).toBeLessThanOrEqual(slack.SLACK_LIMITS.fallbackText);
      }
    });
  }

  it("shows a request's root quoted and escaped, and says when it is shortened", () => {
    const root = slack.renderNotice(
      { kind: "request", user: "U0ALICE", format: "graph", request: `${long}<!here>` },
      "en",
    );
    expect(root.text).toContain("<@U0ALICE>");
    expect(root.text).not.toContain("<!here>");
    expect(root.text).toContain("shortened here");
    expect(root.text.length).toBeLessThanOrEqual(slack.SLACK_LIMITS.fallbackText);
  });

  it("opens the edit modal with the whole task, or says it only shows the beginning of a longer one", () => {
    const form = { approvalId: "apr_1", step: 3, agent: "contract", task: "Draft the NDA" };
    const modal = slack.renderEditModal(form, "{}", "en");
    expect(slack.SlackModalSchema.parse(modal).blocks[0]?.element.initial_value).toBe("Draft the NDA");
    expect(modal.blocks[0]?.hint?.text).not.toContain("beginning");

    const longTask = "🦈".repeat(2_000);
    const cut = slack.SlackModalSchema.parse(slack.renderEditModal({ ...form, task: longTask }, "{}", "ko"));
    expect(cut.blocks[0]?.hint?.text).toContain("2000");
    expect(cut.blocks[0]?.element.initial_value?.endsWith("…")).toBe(true);
    expect(() => slack.renderEditModal(form, "x".repeat(3_001), "en")).toThrow(RangeError);
  });
});

describe("the shared catalog", () => {
  it("names console commands (/help, /rewind ...) only in texts the console alone shows", () => {
    // `error.command_unknown` answers a mistyped console command; chat platforms parse no such thing.
    const consoleOnly = (key: string) => key.startsWith("console.") || key === "error.command_unknown";
    for (const catalog of [en, ko]) {
      const leaks = Object.entries(catalog).filter(
        ([key, text]) =>
          !consoleOnly(key) && /(^|\s)\/(help|history|rewind|forget|format|new|sessions)\b/.test(text),
      );
      expect(leaks).toEqual([]);
    }
  });
});
