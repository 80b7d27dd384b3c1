import { describe, expect, it } from "vitest";
import { errorEvent } from "../../../src/conversations/index.js";
import { slack } from "../../../src/renderers/index.js";
import { initialProgress } from "../../../src/renderers/progress.js";
import { OctoError } from "../../../src/vocabulary/index.js";
import type { RecordedCall } from "../../emulators/slack/index.js";
import { auditThreads, botPosts, classifyPost, countByKind } from "./record.js";

/** The fault tests' reading of the emulator's record, on messages the real Slack renderer produces. */
const card = slack.renderProgress(initialProgress("en"), "en");
const approval = slack.renderApprovalCard(
  {
    approval_id: "ap_1",
    step: 1,
    agent: "contract",
    task: "draft it",
    reason: "policy",
    requester: "U0ALICE",
    expires_at: "2030-01-01T00:00:00.000Z",
  },
  "en",
);
const where = { threadKey: "slack:T:C:1", locale: "en" as const };
const failed = slack.renderError(errorEvent(new OctoError("run_failed", "boom"), where), "en");
const restarting = slack.renderError(errorEvent(new OctoError("restarting", "shutdown"), where), "en");
const answer = (token: string) => ({ text: `The search agent handled "search: kelp ${token}".`, blocks: [] });

let seq = 0;
function posted(threadTs: string, message: { text: string; blocks: unknown[] }): RecordedCall {
  seq += 1;
  return {
    seq,
    method: "chat.postMessage",
    params: { channel: "C0GENERAL", thread_ts: threadTs, text: message.text, blocks: message.blocks },
    auth: "bot",
    status: 200,
    response: { ok: true, ts: `2.${seq}` },
    at: seq,
  };
}

describe("reading the bot's posts from the emulator's record", () => {
  it("tells progress cards, approval cards, answers, errors and the restart notice apart", () => {
    expect(classifyPost({ ...card })).toBe("progress");
    expect(classifyPost({ ...approval })).toBe("approval");
    expect(classifyPost({ ...failed })).toBe("error");
    expect(classifyPost({ ...restarting })).toBe("notice");
    expect(classifyPost(answer("q1z"))).toBe("answer");
    // Agents with real tools answer in their own words; the summary line still marks an answer.
    const drafted = {
      text: "1/1 completed · 0 failed · 7.3s — Here is what the completed steps found",
      blocks: [],
    };
    expect(classifyPost(drafted)).toBe("answer");
    expect(classifyPost({ text: "hello", blocks: [] })).toBe("other");
  });

  it("passes threads answered once each, in order, with one card per request", () => {
    const calls = [
      posted("1.1", card),
      posted("1.1", card),
      posted("1.1", answer("q1z")),
      posted("1.1", answer("q2z")),
      posted("1.2", restarting),
      posted("1.2", card),
      posted("1.2", approval),
      posted("1.2", answer("q3z")),
    ];
    const requests = [
      { channel: "C0GENERAL", threadTs: "1.1", token: "q1z" },
      { channel: "C0GENERAL", threadTs: "1.1", token: "q2z" },
      { channel: "C0GENERAL", threadTs: "1.2", token: "q3z" },
    ];
    expect(auditThreads(botPosts(calls), requests)).toEqual([]);
  });

  it("finds lost, doubled and reordered answers, extra cards, repeated posts and errors", () => {
    const calls = [
      posted("1.1", card),
      posted("1.1", card),
      posted("1.1", answer("q1z")),
      posted("1.1", answer("q1z")),
      posted("1.2", card),
      posted("1.2", card),
      posted("1.2", approval),
      posted("1.2", approval),
      posted("1.2", failed),
      posted("1.3", answer("q5z")),
      posted("1.3", answer("q4z")),
    ];
    const requests = [
      { channel: "C0GENERAL", threadTs: "1.1", token: "q1z" },
      { channel: "C0GENERAL", threadTs: "1.2", token: "q3z" },
      { channel: "C0GENERAL", threadTs: "1.3", token: "q4z" },
      { channel: "C0GENERAL", threadTs: "1.3", token: "q5z" },
    ];
    expect(countByKind(auditThreads(botPosts(calls), requests))).toEqual({
      extra_answer: 1,
      extra_progress_card: 2,
      missing_answer: 1,
      duplicate_post: 1,
      error_posted: 1,
      answer_out_of_order: 1,
    });
  });
});
