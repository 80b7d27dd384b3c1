import { describe, expect, it } from "vitest";
import { parseOctoCommand } from "../../../src/adapters/slack/command.js";
import { messageClaimKey } from "../../../src/adapters/slack/dedupe.js";
import { classifyMessageEvent } from "../../../src/adapters/slack/inbound.js";
import {
  EDIT_ACTION_ID,
  EDIT_BLOCK_ID,
  EDIT_CALLBACK_ID,
  parseButtonClick,
  parseEditSubmission,
} from "../../../src/adapters/slack/interaction.js";
import { escapeMrkdwn, shorten, slackTextToPlain } from "../../../src/adapters/slack/text.js";
import {
  channelKeyPrefix,
  parseSlackThreadKey,
  slackThreadKey,
} from "../../../src/adapters/slack/thread-key.js";

const BOT = "U0OCTOBOT";

function callback(event: Record<string, unknown>) {
  return {
    type: "event_callback",
    team_id: "T1",
    event_id: "Ev1",
    authorizations: [{ team_id: "T1", user_id: BOT, is_bot: true }],
    event: { ts: "1700000000.000100", channel: "C1", ...event },
  };
}

describe("thread keys", () => {
  it("map a thread to slack:{team}:{channel}:{thread_ts} and back", () => {
    const thread = { team: "T1", channel: "C1", threadTs: "1700000000.000100" };
    const key = slackThreadKey(thread);
    expect(key).toBe("slack:T1:C1:1700000000.000100");
    expect(parseSlackThreadKey(key)).toEqual(thread);
    expect(key.startsWith(channelKeyPrefix("T1", "C1"))).toBe(true);
  });

  it("refuse keys of other platforms or shapes", () => {
    for (const key of ["discord:g:c:t", "slack:T1:C1", "slack:T1:C1:1.2:extra", "slack:::", "console:me"]) {
      expect(parseSlackThreadKey(key)).toBeUndefined();
    }
  });
});

describe("message events", () => {
  it("take a channel mention as a request in its thread, without the mention", () => {
    const got = classifyMessageEvent(
      callback({ type: "app_mention", user: "U1", text: `<@${BOT}> compare <https://a.example|A> &amp; B` }),
      BOT,
    );
    expect(got).toEqual({
      kind: "request",
      thread: { team: "T1", channel: "C1", threadTs: "1700000000.000100" },
      ts: "1700000000.000100",
      user: "U1",
      text: "compare A (https://a.example) & B",
      isDm: false,
      eventId: "Ev1",
    });
  });

  it("keep a reply in its thread", () => {
    const got = classifyMessageEvent(
      callback({
        type: "app_mention",
        user: "U1",
        text: "more",
        ts: "1700000005.000200",
        thread_ts: "1700000000.000100",
      }),
      BOT,
    );
    expect(got.kind === "request" && got.thread.threadTs).toBe("1700000000.000100");
    expect(got.kind === "request" && got.ts).toBe("1700000005.000200");
  });

  it("take DMs without a mention, and file shares with their names when there is no text", () => {
    const dm = classifyMessageEvent(
      callback({ type: "message", channel: "D1", channel_type: "im", user: "U1", text: "hi" }),
      BOT,
    );
    expect(dm).toMatchObject({ kind: "request", isDm: true, text: "hi" });
    const file = classifyMessageEvent(
      callback({
        type: "message",
        subtype: "file_share",
        channel: "D1",
        channel_type: "im",
        user: "U1",
        text: "",
        files: [{ name: "data.csv" }],
      }),
      BOT,
    );
    expect(file).toMatchObject({ kind: "request", text: "data.csv" });
  });

  it("ignore bots, our own messages, edits, joins and channel messages without the mention event", () => {
    const ignored = [
      { type: "message", channel_type: "im", channel: "D1", bot_id: "B1", text: "x" },
      { type: "message", channel_type: "im", channel: "D1", user: BOT, text: "x" },
      { type: "message", channel_type: "im", channel: "D1", subtype: "message_changed", text: "x" },
      { type: "message", channel_type: "channel", subtype: "channel_join", user: "U1", text: "x" },
      { type: "message", channel_type: "channel", user: "U1", text: `<@${BOT}> hi` },
      { type: "message", channel_type: "channel", user: "U1", text: "chatter", thread_ts: "1.1" },
      { type: "reaction_added", user: "U1" },
    ];
    for (const event of ignored) expect(classifyMessageEvent(callback(event), BOT).kind).toBe("ignore");
  });

  it("claim one message by its ts, whichever event delivered it", () => {
    const thread = { team: "T1", channel: "D1", threadTs: "1.1" };
    expect(messageClaimKey(thread, "1.1")).toBe("slack:msg:T1:D1:1.1");
  });
});

describe("/octo command text", () => {
  it("reads an optional format before the request", () => {
    expect(parseOctoCommand("graph plan a launch")).toEqual({
      kind: "run",
      format: "graph",
      request: "plan a launch",
    });
    expect(parseOctoCommand("REPORT: sales in Q3")).toEqual({
      kind: "run",
      format: "report",
      request: "sales in Q3",
    });
    expect(parseOctoCommand("what is new")).toEqual({
      kind: "run",
      format: undefined,
      request: "what is new",
    });
    expect(parseOctoCommand("  all  everything\nplease ")).toEqual({
      kind: "run",
      format: "all",
      request: "everything\nplease",
    });
  });

  it("knows the sub-commands only when they stand alone", () => {
    expect(parseOctoCommand("history")).toEqual({ kind: "history" });
    expect(parseOctoCommand("forget")).toEqual({ kind: "forget" });
    expect(parseOctoCommand("help")).toEqual({ kind: "help" });
    expect(parseOctoCommand("rewind 2")).toEqual({ kind: "rewind", turns: 2 });
    expect(parseOctoCommand("history of Rome")).toMatchObject({ kind: "run", request: "history of Rome" });
    expect(parseOctoCommand("rewind the tape")).toMatchObject({ kind: "run" });
  });

  it("gives usage help for an empty request, a bad rewind or a format we lack", () => {
    expect(parseOctoCommand("")).toMatchObject({ kind: "usage", problem: "empty" });
    expect(parseOctoCommand("graph")).toMatchObject({ kind: "usage", problem: "empty" });
    expect(parseOctoCommand("rewind")).toMatchObject({ kind: "usage", problem: "bad_rewind" });
    expect(parseOctoCommand("rewind 0")).toMatchObject({ kind: "usage", problem: "bad_rewind" });
    expect(parseOctoCommand("rewind -1")).toMatchObject({ kind: "usage", problem: "bad_rewind" });
    expect(parseOctoCommand("pdf the quarterly numbers")).toEqual({
      kind: "usage",
      problem: "unknown_format",
      detail: "pdf",
    });
  });
});

describe("interactions", () => {
  const click = {
    type: "block_actions",
    user: { id: "U1" },
    team: { id: "T1" },
    trigger_id: "trig",
    container: { type: "message", channel_id: "C1", message_ts: "2.2", thread_ts: "1.1" },
    actions: [{ action_id: "octo_approve", value: "apr_123", action_ts: "3.3" }],
  };

  it("read a button click: id in value, place from the container", () => {
    expect(parseButtonClick(click)).toEqual({
      actionId: "octo_approve",
      value: "apr_123",
      user: "U1",
      team: "T1",
      triggerId: "trig",
      channel: "C1",
      messageTs: "2.2",
      threadTs: "1.1",
    });
    expect(parseButtonClick({ ...click, actions: [{ action_id: "octo_approve" }] })).toBeUndefined();
    expect(parseButtonClick({ ...click, type: "view_submission" })).toBeUndefined();
  });

  it("read the edit modal's submission with the card it came from", () => {
    const context = { approvalId: "apr_1", team: "T1", channel: "C1", messageTs: "2.2", threadTs: "1.1" };
    const body = {
      type: "view_submission",
      user: { id: "U1" },
      view: {
        callback_id: EDIT_CALLBACK_ID,
        private_metadata: JSON.stringify(context),
        state: {
          values: {
            [EDIT_BLOCK_ID]: { [EDIT_ACTION_ID]: { type: "plain_text_input", value: "  new task " } },
          },
        },
      },
    };
    expect(parseEditSubmission(body)).toEqual({ context, user: "U1", task: "new task" });
    expect(parseEditSubmission({ ...body, view: { ...body.view, private_metadata: "{}" } })).toBeUndefined();
    expect(parseEditSubmission({ ...body, view: { ...body.view, callback_id: "other" } })).toBeUndefined();
  });
});

describe("Slack text", () => {
  it("turns references into plain text", () => {
    expect(
      slackTextToPlain("<#C1|general> <!here> <@U2|bob> <@U3> <mailto:a@b.c|a@b.c> <https://x.io>"),
    ).toBe("#general @here @bob <@U3> a@b.c https://x.io");
  });

  it("escapes what it echoes and shortens with a visible ellipsis", () => {
    expect(escapeMrkdwn("<!channel> & <b>")).toBe("&lt;!channel&gt; &amp; &lt;b&gt;");
    expect(shorten("short", 10)).toEqual({ text: "short", shortened: false });
    const cut = shorten("one two three four five six", 12);
    expect(cut.shortened).toBe(true);
    expect(cut.text.endsWith("…")).toBe(true);
    expect([...cut.text].length).toBeLessThanOrEqual(12);
  });
});
