import { SocketModeReceiver, verifySlackRequest, webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator, signedHeaders } from "./index.js";
import { quiet } from "./quiet-sdk-logger.js";

/** The emulator is only useful if the real Slack SDK accepts it, so these tests drive it with the SDK. */
describe("Slack emulator", () => {
  let emulator: SlackEmulator;
  let client: webApi.WebClient;

  beforeAll(async () => {
    emulator = await SlackEmulator.start({
      triggerTtlMs: 60_000,
      socketPingIntervalMs: 0,
      seed: { usergroups: [{ id: "S0REVIEW", handle: "reviewers", users: ["U0BOB", "U0MINJI"] }] },
    });
    client = new webApi.WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  const general = "C0GENERAL";

  it("answers auth.test for the bot token and refuses others", async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: "U0OCTOBOT", bot_id: "B0OCTOBOT", team_id: "T0OCTO" });
    const stranger = new webApi.WebClient("xoxb-0000-not-the-token", {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
    expect(emulator.callsOf("auth.test").map((call) => call.auth)).toEqual(["bot", "invalid"]);
  });

  it("posts into threads, keeps edit history and refuses unknown threads", async () => {
    const mention = emulator.payloads.mention({ user: "U0ALICE", channel: general, text: "hello" });
    const posted = await client.chat.postMessage({
      channel: general,
      thread_ts: mention.ts,
      text: "working",
    });
    await client.chat.update({ channel: general, ts: posted.ts as string, text: "done", blocks: [] });
    const thread = emulator.workspace.thread(general, mention.ts);
    expect(thread.map((m) => m.text)).toEqual([`<@U0OCTOBOT> hello`, "done"]);
    expect(thread[1]?.revisions.map((r) => r.text)).toEqual(["working"]);
    await expect(
      client.chat.postMessage({ channel: general, thread_ts: "1.000001", text: "lost" }),
    ).rejects.toMatchObject({ data: { error: "thread_not_found" } });
    await expect(client.chat.update({ channel: general, ts: mention.ts, text: "x" })).rejects.toMatchObject({
      data: { error: "cant_update_message" },
    });
  });

  it("refuses blocks over Slack's limits with invalid_blocks", async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => ({
      type: "section",
      text: { type: "mrkdwn", text: `line ${i}` },
    }));
    await expect(client.chat.postMessage({ channel: general, text: "many", blocks })).rejects.toMatchObject({
      data: { error: "invalid_blocks" },
    });
    const long = [{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }];
    await expect(
      client.chat.postMessage({ channel: general, text: "long", blocks: long }),
    ).rejects.toMatchObject({
      data: { error: "invalid_blocks" },
    });
  });

  it("injects 429 with Retry-After, which the SDK honours before retrying", async () => {
    const retrying = new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, logger: quiet });
    emulator.faults.rateLimit("chat.postMessage", { retryAfterSeconds: 1, times: 1 });
    let announced: number | undefined;
    retrying.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => {
      announced = seconds;
    });
    const posted = await retrying.chat.postMessage({ channel: general, text: "after the wait" });
    expect(posted.ok).toBe(true);
    expect(announced).toBe(1);
    expect(emulator.callsOf("chat.postMessage").map((call) => call.status)).toEqual([429, 200]);

    emulator.faults.rateLimit("chat.update", { retryAfterSeconds: 7 });
    const impatient = new webApi.WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      rejectRateLimitedCalls: true,
      logger: quiet,
    });
    await expect(
      impatient.chat.update({ channel: general, ts: posted.ts as string, text: "x" }),
    ).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  it("injects API errors a given number of times", async () => {
    emulator.faults.error("chat.postMessage", "channel_is_archived", { times: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(client.chat.postMessage({ channel: general, text: "x" })).rejects.toMatchObject({
        data: { error: "channel_is_archived" },
      });
    }
    await expect(client.chat.postMessage({ channel: general, text: "x" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("takes files.uploadV2 uploads (binary and text) into a thread", async () => {
    const root = emulator.payloads.mention({ user: "U0ALICE", channel: general, text: "report please" });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await client.files.uploadV2({
      channel_id: general,
      thread_ts: root.ts,
      initial_comment: "Here you go",
      file_uploads: [
        { file: png, filename: "plan.png", title: "Plan" },
        { content: "# Report\n한국어", filename: "report.md", title: "Report" },
      ],
    });
    const files = emulator.workspace.filesIn(general, root.ts);
    expect(files.map((f) => [f.filename, f.title])).toEqual([
      ["plan.png", "Plan"],
      ["report.md", "Report"],
    ]);
    expect(files[0]?.data?.equals(png)).toBe(true);
    expect(files[1]?.data?.toString("utf8")).toBe("# Report\n한국어");
    expect(emulator.callsOf("upload")).toHaveLength(2);
    expect(emulator.callsOf("files.completeUploadExternal")[0]?.params).toMatchObject({
      channel_id: general,
      thread_ts: root.ts,
    });
  });

  it("serves shared and uploaded files at url_private_download to the bot token only", async () => {
    const shared = emulator.payloads.userFile({
      user: "U0ALICE",
      name: "sales.csv",
      content: "region,total\nnorth,3\n",
    });
    expect(shared).toMatchObject({ name: "sales.csv", mimetype: "text/csv", filetype: "csv", size: 21 });
    const url = String(shared.url_private_download);
    expect(new URL(url).origin).toBe(emulator.baseUrl);

    const withToken = await fetch(url, { headers: { authorization: `Bearer ${emulator.botToken}` } });
    expect(withToken.headers.get("content-type")).toBe("text/csv");
    expect(await withToken.text()).toBe("region,total\nnorth,3\n");
    // Slack's answer to a missing or wrong token: a redirect to a sign-in page that says 200.
    for (const headers of [{}, { authorization: "Bearer xoxb-0000-not-the-token" }] as Record<
      string,
      string
    >[]) {
      const refused = await fetch(url, { headers });
      expect(refused.status).toBe(200);
      expect(refused.headers.get("content-type")).toContain("text/html");
      expect(await refused.text()).toContain("Sign in");
    }
    expect(emulator.callsOf("file_download").map((call) => [call.auth, call.status])).toEqual([
      ["bot", 200],
      ["none", 302],
      ["invalid", 302],
    ]);

    await client.files.uploadV2({ channel_id: general, content: '{"a":1}', filename: "answer.json" });
    const uploaded = emulator.callsOf("files.completeUploadExternal").at(-1)?.response.files as
      | { url_private_download: string; mimetype: string }[]
      | undefined;
    expect(uploaded?.[0]?.mimetype).toBe("application/json");
    const download = await fetch(uploaded?.[0]?.url_private_download ?? "", {
      headers: { authorization: `Bearer ${emulator.botToken}` },
    });
    expect(await download.text()).toBe('{"a":1}');
  });

  it("puts shared files in message events as file_share, and records the message", () => {
    const file = emulator.payloads.userFile({ user: "U0ALICE", name: "notes.txt", content: "hi" });
    const dm = emulator.payloads.message({ user: "U0ALICE", channel: "D0ALICE", text: "", files: [file] });
    expect(dm.body.event).toMatchObject({
      subtype: "file_share",
      channel_type: "im",
      files: [{ name: "notes.txt" }],
    });
    expect(emulator.workspace.message("D0ALICE", dm.ts)).toBeDefined();
    const secret = emulator.payloads.message({ user: "U0ALICE", channel: "C0SECRET", text: "psst" });
    expect(secret.body.event.channel_type).toBe("group");
  });

  it("opens a modal once per trigger id", async () => {
    const command = emulator.payloads.command({ user: "U0ALICE", channel: general, text: "help" });
    const view = {
      type: "modal" as const,
      title: { type: "plain_text" as const, text: "Edit" },
      blocks: [
        {
          type: "input",
          block_id: "task",
          label: { type: "plain_text", text: "Task" },
          element: { type: "plain_text_input", action_id: "text" },
        },
      ],
    };
    const opened = await client.views.open({ trigger_id: command.trigger_id as string, view });
    expect(opened.view?.id).toMatch(/^V/);
    await expect(client.views.open({ trigger_id: command.trigger_id as string, view })).rejects.toMatchObject(
      {
        data: { error: "expired_trigger_id" },
      },
    );
    await expect(client.views.open({ trigger_id: "123.456.nope", view })).rejects.toMatchObject({
      data: { error: "invalid_trigger_id" },
    });
    const stored = emulator.workspace.views[0];
    if (!stored) throw new Error("no view recorded");
    const submission = emulator.payloads.viewSubmission({ user: "U0ALICE", view: stored, text: "new task" });
    expect(submission.view.state.values).toEqual({
      task: { text: { type: "plain_text_input", value: "new task" } },
    });
  });

  it("lists a seeded user group's members and refuses unknown groups and other tokens", async () => {
    const listed = await client.usergroups.users.list({ usergroup: "S0REVIEW" });
    expect(listed.users).toEqual(["U0BOB", "U0MINJI"]);
    await expect(client.usergroups.users.list({ usergroup: "S0NOPE" })).rejects.toMatchObject({
      data: { error: "no_such_subteam" },
    });
    const stranger = new webApi.WebClient("xoxb-0000-not-the-token", {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
    await expect(stranger.usergroups.users.list({ usergroup: "S0REVIEW" })).rejects.toMatchObject({
      data: { error: "invalid_auth" },
    });
    expect(emulator.callsOf("usergroups.users.list").map((call) => call.params.usergroup)).toEqual([
      "S0REVIEW",
      "S0NOPE",
      "S0REVIEW",
    ]);
  });

  it("signs requests the way Bolt verifies them", () => {
    const body = JSON.stringify({ type: "event_callback" });
    const headers = signedHeaders(emulator.signingSecret, body);
    expect(() =>
      verifySlackRequest({
        signingSecret: emulator.signingSecret,
        body,
        headers: {
          "x-slack-signature": headers["x-slack-signature"],
          "x-slack-request-timestamp": Number(headers["x-slack-request-timestamp"]),
        },
      }),
    ).not.toThrow();
    expect(() =>
      verifySlackRequest({
        signingSecret: "another-secret",
        body,
        headers: {
          "x-slack-signature": headers["x-slack-signature"],
          "x-slack-request-timestamp": Number(headers["x-slack-request-timestamp"]),
        },
      }),
    ).toThrow(/signature mismatch/);
  });

  it("fails a wait for a call that never comes, naming what did arrive", async () => {
    await client.auth.test();
    await expect(emulator.waitForCall("views.open", undefined, { timeoutMs: 50 })).rejects.toThrow(
      /no call #1 of views\.open .* recorded: auth\.test/,
    );
  });

  it("serves Socket Mode: hello, envelopes and acknowledgements", async () => {
    const receiver = new SocketModeReceiver({
      appToken: emulator.appToken,
      logger: quiet,
      installerOptions: { clientOptions: { slackApiUrl: emulator.apiUrl } },
    });
    const seen: string[] = [];
    receiver.client.on("slack_event", async ({ ack, type, body }) => {
      seen.push(`${type}:${(body as { event?: { type?: string } }).event?.type ?? ""}`);
      await ack({ received: true });
    });
    try {
      await receiver.client.start();
      expect(emulator.callsOf("apps.connections.open")[0]?.auth).toBe("app");
      const mention = emulator.payloads.mention({ user: "U0ALICE", channel: general, text: "hi" });
      const result = await emulator.socket().event(mention.body);
      expect(result.body).toEqual({ received: true });
      expect(seen).toEqual(["events_api:app_mention"]);
    } finally {
      await receiver.client.disconnect();
    }
  });

  it("gives each envelope to one of several Socket Mode connections, or to the one named", async () => {
    const seen: string[] = [];
    const connect = (label: string, ack: boolean) => {
      const receiver = new SocketModeReceiver({
        appToken: emulator.appTokenFor(label),
        logger: quiet,
        installerOptions: { clientOptions: { slackApiUrl: emulator.apiUrl } },
      });
      receiver.client.on("slack_event", async ({ ack: acknowledge, body }) => {
        seen.push(`${label}:${(body as { event?: { text?: string } }).event?.text ?? ""}`);
        if (ack) await acknowledge();
      });
      return receiver;
    };
    const a = connect("a", true);
    const b = connect("b", false);
    try {
      await a.client.start();
      await b.client.start();
      expect(emulator.socketMode.labels).toEqual(["a", "b"]);
      const event = (text: string) => emulator.payloads.mention({ user: "U0ALICE", channel: general, text });
      await emulator.socket("a").event(event("one").body);
      await emulator.socket("a").event(event("two").body);
      expect(seen).toEqual(["a:<@U0OCTOBOT> one", "a:<@U0OCTOBOT> two"]);
      // Spread: one of them each (b never acknowledges, so its envelope fails when b goes away).
      const spread = [emulator.socket().event(event("x").body), emulator.socket().event(event("y").body)];
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(
        seen
          .slice(2)
          .map((line) => line.split(":")[0])
          .sort(),
      ).toEqual(["a", "b"]);
      await b.client.disconnect();
      const settled = await Promise.allSettled(spread);
      expect(settled.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(String((settled.find((r) => r.status === "rejected") as PromiseRejectedResult).reason)).toMatch(
        /"b" closed before acknowledging/,
      );
      await expect(emulator.socket("b").event(event("z").body)).rejects.toThrow(/labelled "b" is open/);
    } finally {
      await a.client.disconnect();
      await b.client.disconnect();
    }
  });
});
