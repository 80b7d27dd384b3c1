import { describe, expect, it } from "vitest";
import { messageClaimKey } from "../../../src/adapters/slack/dedupe.js";
import { mayCarryToken } from "../../../src/adapters/slack/files.js";
import { classifyMessageEvent } from "../../../src/adapters/slack/inbound.js";
import {
  EDIT_ACTION_ID,
  EDIT_BLOCK_ID,
  EDIT_CALLBACK_ID,
  parseButtonClick,
  parseEditSubmission,
} from "../../../src/adapters/slack/interaction.js";
import { slackTextToPlain } from "../../../src/adapters/slack/text.js";
import {
  channelKeyPrefix,
  parseSlackThreadKey,
  slackThreadKey,
} from "../../../src/adapters/slack/thread-key.js";
import { escapeMrkdwn } from "../../../src/renderers/slack/mrkdwn.js";
import { clip } from "../../../src/vocabulary/index.js";

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
      trigger: "mention",
      thread: { team: "T1", channel: "C1", threadTs: "1700000000.000100" },
      ts: "1700000000.000100",
      user: "U1",
      text: "compare A (https://a.example) & B",
      isDm: false,
      eventId: "Ev1",
      files: [],
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

  it("ignore bots, our own messages, edits, joins, top-level chatter and mentions' message copies", () => {
    const ignored = [
      { type: "message", channel_type: "im", channel: "D1", bot_id: "B1", text: "x" },
      { type: "message", channel_type: "im", channel: "D1", user: BOT, text: "x" },
      { type: "message", channel_type: "im", channel: "D1", subtype: "message_changed", text: "x" },
      { type: "message", channel_type: "channel", subtype: "channel_join", user: "U1", text: "x" },
      { type: "message", channel_type: "channel", user: "U1", text: `<@${BOT}> hi` },
      // A mention inside a thread: app_mention carries it, so its message.channels copy is dropped.
      { type: "message", channel_type: "channel", user: "U1", text: `and <@${BOT}>`, thread_ts: "1.1" },
      { type: "message", channel_type: "channel", user: "U1", text: "chatter" },
      // A thread's root, as it arrives again once replied to: its thread_ts is its own ts.
      { type: "message", channel_type: "group", user: "U1", text: "root", thread_ts: "1700000000.000100" },
      { type: "message", channel_type: "mpim", user: "U1", text: "group DM reply", thread_ts: "1.1" },
      {
        type: "message",
        channel_type: "channel",
        subtype: "message_replied",
        hidden: true,
        thread_ts: "1.1",
      },
      { type: "reaction_added", user: "U1" },
    ];
    for (const event of ignored) expect(classifyMessageEvent(callback(event), BOT).kind).toBe("ignore");
  });

  it("take a plain reply in a channel or private channel thread as a possible continuation", () => {
    for (const channelType of ["channel", "group"]) {
      const got = classifyMessageEvent(
        callback({
          type: "message",
          channel_type: channelType,
          user: "U1",
          text: "and the prices?",
          ts: "1700000009.000300",
          thread_ts: "1700000000.000100",
        }),
        BOT,
      );
      expect(got).toMatchObject({
        kind: "request",
        trigger: "thread_reply",
        thread: { team: "T1", channel: "C1", threadTs: "1700000000.000100" },
        ts: "1700000009.000300",
        text: "and the prices?",
        isDm: false,
      });
    }
    const broadcast = classifyMessageEvent(
      callback({
        type: "message",
        subtype: "thread_broadcast",
        channel_type: "channel",
        user: "U1",
        text: "also to the channel",
        ts: "1700000010.000400",
        thread_ts: "1700000000.000100",
      }),
      BOT,
    );
    expect(broadcast).toMatchObject({ kind: "request", trigger: "thread_reply" });
  });

  it("carry a message's files as references, whatever event delivered it", () => {
    const got = classifyMessageEvent(
      callback({
        type: "app_mention",
        user: "U1",
        text: `<@${BOT}> sum this`,
        files: [
          {
            id: "F1",
            name: "sales.csv",
            mimetype: "text/csv",
            filetype: "csv",
            size: 42,
            url_private_download: "https://files.slack.com/files-pri/T1-F1/download/sales.csv",
          },
          { id: "F2", name: null, title: "Screenshot", mimetype: "image/png", size: 9 },
        ],
      }),
      BOT,
    );
    expect(got.kind === "request" && got.files).toEqual([
      {
        id: "F1",
        name: "sales.csv",
        mimeType: "text/csv",
        fileType: "csv",
        size: 42,
        downloadUrl: "https://files.slack.com/files-pri/T1-F1/download/sales.csv",
      },
      {
        id: "F2",
        name: "Screenshot",
        mimeType: "image/png",
        fileType: undefined,
        size: 9,
        downloadUrl: undefined,
      },
    ]);
  });

  it("claim one message by its ts, whichever event delivered it", () => {
    const thread = { team: "T1", channel: "D1", threadTs: "1.1" };
    expect(messageClaimKey(thread, "1.1")).toBe("slack:msg:T1:D1:1.1");
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

  it("escapes what it echoes (with the renderers' one escape) and shortens with a visible ellipsis", () => {
    expect(escapeMrkdwn("<!channel> & <b>")).toBe("&lt;!channel\u200b&gt; &amp; &lt;b\u200b&gt;");
    expect(clip("short", 10)).toBe("short");
    const cut = clip("one two three four five six", 12);
    expect(cut).not.toBe("one two three four five six");
    expect(cut.endsWith("…")).toBe(true);
    expect([...cut].length).toBeLessThanOrEqual(12);
  });
});

describe("Slack files", () => {
  it("send the bot token only to Slack's hosts or the configured API's origin", () => {
    expect(mayCarryToken("https://files.slack.com/files-pri/T1-F1/download/a.csv", undefined)).toBe(true);
    expect(mayCarryToken("http://files.slack.com/files-pri/x", undefined)).toBe(false);
    expect(mayCarryToken("https://files.slack.com.evil.example/x", undefined)).toBe(false);
    expect(mayCarryToken("https://example.com/x", undefined)).toBe(false);
    expect(mayCarryToken("http://127.0.0.1:9/files-pri/x", "http://127.0.0.1:9/api/")).toBe(true);
    expect(mayCarryToken("http://127.0.0.1:10/files-pri/x", "http://127.0.0.1:9/api/")).toBe(false);
    expect(mayCarryToken("not a url", undefined)).toBe(false);
  });
});
