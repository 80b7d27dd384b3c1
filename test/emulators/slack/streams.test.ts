import { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chunkProblems, SlackEmulator } from "./index.js";

const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => {},
};

/** The streaming methods, driven with the real SDK as the bot drives them. */
describe("Slack emulator: streams", () => {
  let emulator: SlackEmulator;
  let client: webApi.WebClient;
  const general = "C0GENERAL";
  const recipient = { recipient_user_id: "U0ALICE", recipient_team_id: "T0OCTO" };

  beforeAll(async () => {
    emulator = await SlackEmulator.start({ socketPingIntervalMs: 0, seed: { aiApps: true } });
    client = new webApi.WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  const root = () => emulator.payloads.mention({ user: "U0ALICE", channel: general, text: "hi" }).ts;

  it("streams a plan into a thread: tasks updated by id, text appended, blocks added at the stop", async () => {
    const threadTs = root();
    const started = await client.chat.startStream({
      channel: general,
      thread_ts: threadTs,
      ...recipient,
      task_display_mode: "plan",
      chunks: [
        { type: "plan_update", title: "Working" },
        { type: "task_update", id: "1", title: "Search", status: "pending" },
      ],
    });
    const ts = started.ts as string;
    await client.chat.appendStream({
      channel: general,
      ts,
      chunks: [
        { type: "task_update", id: "1", title: "Search", status: "in_progress", details: "search agent" },
      ],
    });
    await client.chat.appendStream({
      channel: general,
      ts,
      chunks: [
        {
          type: "task_update",
          id: "1",
          title: "Search",
          status: "complete",
          output: "found",
          sources: [{ type: "url", url: "https://example.org/", text: "Example" }],
        },
        { type: "markdown_text", text: "**The answer.**" },
      ],
    });
    await client.chat.stopStream({
      channel: general,
      ts,
      blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: "1/1 completed" }] }],
    });

    const message = emulator.workspace.message(general, ts);
    expect(message).toMatchObject({ threadTs, text: "**The answer.**" });
    expect(message?.stream).toMatchObject({
      state: "stopped",
      taskDisplayMode: "plan",
      planTitle: "Working",
    });
    expect(message?.stream?.tasks).toMatchObject([
      {
        id: "1",
        status: "complete",
        details: "search agent",
        output: "found",
        statuses: ["pending", "in_progress", "complete"],
      },
    ]);
    expect(message?.blocks).toMatchObject([
      { type: "plan", title: "Working", tasks: [{ type: "task_card", task_id: "1", status: "complete" }] },
      { type: "context" },
    ]);
    expect(emulator.calls.map((call) => call.method)).toEqual([
      "chat.startStream",
      "chat.appendStream",
      "chat.appendStream",
      "chat.stopStream",
    ]);
    await expect(
      client.chat.appendStream({ channel: general, ts, chunks: [{ type: "markdown_text", text: "late" }] }),
    ).rejects.toMatchObject({ data: { error: "message_not_in_streaming_state" } });
  });

  it("wants a thread, and a recipient outside DMs", async () => {
    const threadTs = root();
    const chunks = [{ type: "markdown_text" as const, text: "hi" }];
    await expect(
      client.chat.startStream({ channel: general, thread_ts: threadTs, chunks }),
    ).rejects.toMatchObject({
      data: { error: "missing_recipient_user_id" },
    });
    await expect(
      client.chat.startStream({
        channel: general,
        thread_ts: threadTs,
        recipient_user_id: "U0ALICE",
        chunks,
      }),
    ).rejects.toMatchObject({ data: { error: "missing_recipient_team_id" } });
    await expect(
      client.chat.startStream({ channel: general, thread_ts: "", ...recipient, chunks }),
    ).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    const dm = emulator.payloads.message({ user: "U0ALICE", channel: "D0ALICE", text: "hi" }).ts;
    await expect(
      client.chat.startStream({ channel: "D0ALICE", thread_ts: dm, chunks }),
    ).resolves.toMatchObject({
      ok: true,
    });
  });

  it("refuses chunks Slack would not take, text over 12,000 characters, and a write in another mode", async () => {
    const threadTs = root();
    const start = (chunks: unknown[]) =>
      client.chat.startStream({
        channel: general,
        thread_ts: threadTs,
        ...recipient,
        chunks: chunks as never,
      });
    await expect(
      start([{ type: "task_update", id: "1", title: "x", status: "completed" }]),
    ).rejects.toMatchObject({
      data: { error: "invalid_chunks" },
    });
    await expect(start([{ type: "markdown_text", text: "x".repeat(12_001) }])).rejects.toMatchObject({
      data: { error: "invalid_chunks" },
    });
    await expect(start([{ type: "picture" }])).rejects.toMatchObject({ data: { error: "invalid_chunks" } });
    const started = await start([{ type: "markdown_text", text: "x".repeat(12_000) }]);
    await expect(
      client.chat.appendStream({ channel: general, ts: started.ts as string, markdown_text: "more" }),
    ).rejects.toMatchObject({ data: { error: "streaming_mode_mismatch" } });
    expect(
      chunkProblems([
        {
          type: "task_update",
          id: "",
          title: "t",
          status: "pending",
          sources: [{ type: "url", url: "nope", text: "n" }],
        },
      ]),
    ).toEqual(["chunks[0].id must be a non-empty string", "chunks[0].sources[0].url must be a url"]);
  });

  it("refuses on demand, and every stream method of an app without Agents & AI Apps", async () => {
    const threadTs = root();
    const chunks = [{ type: "markdown_text" as const, text: "hi" }];
    emulator.faults.error("chat.startStream", "missing_scope");
    await expect(
      client.chat.startStream({ channel: general, thread_ts: threadTs, ...recipient, chunks }),
    ).rejects.toMatchObject({
      data: { error: "missing_scope" },
    });
    const plain = await SlackEmulator.start({ socketPingIntervalMs: 0 });
    try {
      const other = new webApi.WebClient(plain.botToken, {
        slackApiUrl: plain.apiUrl,
        retryConfig: { retries: 0 },
        logger: quiet,
      });
      const thread = plain.payloads.mention({ user: "U0ALICE", channel: general, text: "hi" }).ts;
      await expect(
        other.chat.startStream({ channel: general, thread_ts: thread, ...recipient, chunks }),
      ).rejects.toMatchObject({
        data: { error: "feature_not_enabled" },
      });
      expect(plain.callsOf("chat.startStream")).toHaveLength(1);
    } finally {
      await plain.close();
    }
  });
});
