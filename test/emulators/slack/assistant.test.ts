import { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "./index.js";
import { quiet } from "./quiet-sdk-logger.js";

/** The assistant methods, their events and the feedback blocks, driven with the real SDK. */
describe("Slack emulator: the assistant surface and feedback buttons", () => {
  let emulator: SlackEmulator;
  let client: webApi.WebClient;
  const dm = "D0ALICE";

  beforeAll(async () => {
    emulator = await SlackEmulator.start({ socketPingIntervalMs: 0 });
    client = new webApi.WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  it("starts an assistant thread with its root message and the context the person is viewing", () => {
    const started = emulator.payloads.assistantThreadStarted({
      user: "U0ALICE",
      channel: dm,
      context: { channel_id: "C0GENERAL" },
    });
    expect(started.body.event).toMatchObject({
      type: "assistant_thread_started",
      assistant_thread: {
        user_id: "U0ALICE",
        channel_id: dm,
        thread_ts: started.ts,
        context: { channel_id: "C0GENERAL", team_id: "T0OCTO" },
      },
    });
    expect(emulator.workspace.message(dm, started.ts)?.user).toBe("U0ALICE");
    const changed = emulator.payloads.assistantContextChanged({
      user: "U0ALICE",
      channel: dm,
      threadTs: started.ts,
      context: { channel_id: "C0RANDOM" },
    });
    expect(changed.body.event).toMatchObject({
      type: "assistant_thread_context_changed",
      assistant_thread: { thread_ts: started.ts, context: { channel_id: "C0RANDOM" } },
    });
    expect(changed.eventId).not.toBe(started.eventId);
    expect(emulator.workspace.assistantThread(dm, started.ts)?.context).toEqual({ channel_id: "C0RANDOM" });
  });

  it("keeps status, title and prompts, and refuses calls without what the docs require", async () => {
    const { ts } = emulator.payloads.assistantThreadStarted({ user: "U0ALICE", channel: dm });
    await client.assistant.threads.setStatus({ channel_id: dm, thread_ts: ts, status: "is thinking..." });
    await client.assistant.threads.setTitle({ channel_id: dm, thread_ts: ts, title: "Vendors" });
    const prompts = [{ title: "Report", message: "report: compare vendors" }];
    await client.assistant.threads.setSuggestedPrompts({
      channel_id: dm,
      thread_ts: ts,
      prompts,
      title: "Try",
    });
    expect(emulator.workspace.assistantThread(dm, ts)).toMatchObject({
      status: "is thinking...",
      title: "Vendors",
      prompts: { title: "Try", prompts },
    });
    // A reply clears the status, as Slack does; an empty status clears it too.
    await client.chat.postMessage({ channel: dm, thread_ts: ts, text: "answer" });
    expect(emulator.workspace.assistantThread(dm, ts)?.status).toBe("");
    await client.assistant.threads.setStatus({ channel_id: dm, thread_ts: ts, status: "" });
    expect(emulator.workspace.assistantThread(dm, ts)?.statuses).toEqual(["is thinking...", ""]);

    const refused = async (call: Promise<unknown>) =>
      (
        (await call.then(
          () => ({ data: { error: "ok" } }),
          (e: unknown) => e,
        )) as { data: { error: string } }
      ).data.error;
    const setStatus = (args: Record<string, unknown>) =>
      client.apiCall("assistant.threads.setStatus", args as never);
    expect(await refused(setStatus({ thread_ts: ts, status: "x" }))).toBe("invalid_arguments");
    expect(await refused(setStatus({ channel_id: dm, status: "x" }))).toBe("invalid_arguments");
    expect(await refused(setStatus({ channel_id: dm, thread_ts: ts }))).toBe("invalid_arguments");
    expect(await refused(setStatus({ channel_id: "D0NOBODY", thread_ts: ts, status: "x" }))).toBe(
      "channel_not_found",
    );
    expect(await refused(setStatus({ channel_id: dm, thread_ts: "1.000009", status: "x" }))).toBe(
      "invalid_thread_ts",
    );
    expect(
      await refused(
        setStatus({ channel_id: dm, thread_ts: ts, status: "x", loading_messages: Array(11).fill("…") }),
      ),
    ).toBe("invalid_arguments");
    const five = Array.from({ length: 5 }, (_, i) => ({ title: `t${i}`, message: `m${i}` }));
    expect(
      await refused(
        client.assistant.threads.setSuggestedPrompts({ channel_id: dm, thread_ts: ts, prompts: five }),
      ),
    ).toBe("invalid_arguments");
    expect(
      await refused(
        client.assistant.threads.setSuggestedPrompts({
          channel_id: dm,
          thread_ts: ts,
          prompts: [{ title: "no message" } as never],
        }),
      ),
    ).toBe("invalid_arguments");
    expect(
      await refused(client.assistant.threads.setTitle({ channel_id: dm, thread_ts: ts, title: "" })),
    ).toBe("invalid_arguments");
    expect(emulator.callsOf("assistant.threads.setStatus").filter((c) => !c.response.ok)).toHaveLength(6);
  });

  const feedback = (extra: Record<string, unknown> = {}) => ({
    type: "feedback_buttons",
    action_id: "octo_feedback",
    positive_button: {
      text: { type: "plain_text", text: "👍" },
      value: "up:run_1",
      accessibility_label: "Good",
    },
    negative_button: { text: { type: "plain_text", text: "👎" }, value: "down:run_1" },
    ...extra,
  });

  it("accepts feedback buttons in a context_actions block and refuses what Slack would", async () => {
    const post = (elements: unknown[]) =>
      client.chat.postMessage({
        channel: "C0GENERAL",
        text: "answer",
        blocks: [{ type: "context_actions", elements }] as never,
      });
    const posted = await post([feedback()]);
    for (const elements of [
      [],
      Array.from({ length: 6 }, () => feedback()),
      [feedback({ negative_button: undefined })],
      [feedback({ positive_button: { text: { type: "mrkdwn", text: "*y*" }, value: "up:run_1" } })],
      [feedback({ positive_button: { text: { type: "plain_text", text: "👍" }, value: "x".repeat(2001) } })],
      [
        feedback({
          negative_button: {
            text: { type: "plain_text", text: "👎" },
            value: "d",
            accessibility_label: "l".repeat(76),
          },
        }),
      ],
      [{ type: "button", text: { type: "plain_text", text: "b" }, action_id: "b" }],
      [{ type: "icon_button", icon: "star", text: { type: "plain_text", text: "Star" } }],
    ]) {
      await expect(post(elements)).rejects.toMatchObject({ data: { error: "invalid_blocks" } });
    }
    await post([
      { type: "icon_button", icon: "trash", text: { type: "plain_text", text: "Delete" }, action_id: "d" },
    ]);

    const message = emulator.workspace.message("C0GENERAL", posted.ts as string);
    if (!message) throw new Error("not posted");
    const click = emulator.payloads.feedbackClick({
      user: "U0BOB",
      message,
      actionId: "octo_feedback",
      button: "negative",
    });
    expect(click).toMatchObject({
      type: "block_actions",
      user: { id: "U0BOB" },
      container: { type: "message", message_ts: posted.ts, channel_id: "C0GENERAL" },
      actions: [{ type: "feedback_buttons", action_id: "octo_feedback", value: "down:run_1" }],
    });
  });
});
