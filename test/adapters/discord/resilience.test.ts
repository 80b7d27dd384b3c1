import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordThreadKey } from "../../../src/adapters/discord/index.js";
import { ScriptedLlm } from "../../../src/llm/scripted.js";
import {
  ALICE,
  APPROVER_ROLE,
  BOB,
  DMS,
  GENERAL,
  GUILD_ID,
  INTENT,
  LOCKED,
  RANDOM,
} from "../../emulators/discord/index.js";
import { apiMessage } from "../../emulators/discord/objects.js";
import { DiscordHarness, gate, shownText } from "./harness.js";

describe("Discord adapter under replays, drops, refusals and rate limits", () => {
  let h: DiscordHarness;
  const intentGate = gate();
  let holdIntent = false;
  const llm = new ScriptedLlm({
    handlers: {
      intent: async ({ context }) => {
        if (holdIntent) await intentGate.wait;
        return { category: "search", summary: String(context.request ?? "").slice(0, 100) };
      },
    },
  });
  beforeAll(async () => {
    h = await DiscordHarness.start({ service: { llm } });
  });
  afterAll(() => h?.close());

  const keyOf = (thread: string) => discordThreadKey({ guild: GUILD_ID, channel: GENERAL.id, thread });

  it("answers once through a gateway drop and RESUME mid-run, and gets what was sent meanwhile", async () => {
    holdIntent = true;
    const { thread } = await h.mention("search for tides");
    const drop = await h.emulator.dropGateway({ holdResume: true });
    // Sent while the bot is certainly away: buffered, then replayed on RESUME.
    h.emulator.userSends({ channel: DMS.bob, author: BOB, content: "search for currents" });
    drop.release();
    await h.emulator.waitForGateway("RESUME");
    holdIntent = false;
    intentGate.open();
    await h.posted(DMS.bob.id, 2);
    await h.idle();
    // The progress message and one answer.
    const [, answer, ...more] = h.botMessages(thread);
    expect(shownText(answer)).toContain("The search agent handled");
    expect(more).toEqual([]);
    const [, answered, ...again] = h.botMessages(DMS.bob.id);
    expect(shownText(answered)).toContain("currents");
    expect(again).toEqual([]);
    expect(h.emulator.gatewayFrames.filter((frame) => frame.name === "IDENTIFY")).toHaveLength(1);
    expect((await h.service.history(keyOf(thread))).turnCount).toBe(1);
  });

  it("runs a replayed MESSAGE_CREATE once, and a repeated interaction once", async () => {
    const { message: mention, thread } = await h.mention("search for reefs");
    await h.posted(thread, 2);
    h.emulator.gateway.dispatch("MESSAGE_CREATE", apiMessage(h.emulator.world, mention, true), {
      intent: INTENT.guildMessages,
    });
    // A DM after it: once it is answered, the replay was handled too (events are read in order).
    h.emulator.userSends({ channel: DMS.alice, author: ALICE, content: "search for sentinels" });
    await h.posted(DMS.alice.id, 2);
    expect(h.botMessages(thread)).toHaveLength(2);
    expect((await h.service.history(keyOf(thread))).turnCount).toBe(1);

    const command = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: ALICE,
      subcommand: "ask",
      options: { request: "search for lagoons" },
    });
    await h.settled(command);
    const threadsBefore = h.emulator.threads().length;
    const responses: unknown[] = [];
    await h.adapter.interactions?.handle(
      command.payload as never,
      async (response) => void responses.push(response),
    );
    await h.idle();
    expect(responses).toEqual([{ type: 5 }]);
    expect(h.emulator.threads()).toHaveLength(threadsBefore);
  });

  it("downloads a file attached to a mention without any token and shows its text to the agents", async () => {
    const sales = "region,total\nnorth,42\nsouth,17\n";
    const mention = h.emulator.userSends({
      channel: GENERAL,
      author: ALICE,
      mentionBot: true,
      content: "analyze the sales data by region",
      attachments: [{ filename: "sales.csv", contentType: "text/csv", data: sales }],
    });
    await h.emulator.waitForCall(
      "POST /channels/:id/messages/:mid/threads",
      (call) => call.params.mid === mention.id,
    );
    await h.posted(h.threadOf(mention.id), 2);
    const downloads = h.emulator.callsOf("GET /attachments/:channel/:id/:filename");
    expect(downloads.map((call) => [call.auth, call.status])).toEqual([["none", 200]]);
    const prompts = llm.calls
      .filter((call) => call.purpose.startsWith("agent:"))
      .map((call) => call.messages.map((message) => message.content).join("\n"))
      .filter((prompt) => prompt.includes("analyze the sales data by region"));
    expect(prompts[0]).toContain(`Attached file sales.csv:\n${sales.trim()}`);
  });

  it("where it may not start a thread, says which permissions are missing as a reply, or logs when it cannot", async () => {
    h.emulator.setChannelPermissions(RANDOM, { createThreads: false });
    const there = h.emulator.userSends({
      channel: RANDOM,
      author: ALICE,
      mentionBot: true,
      content: "search for caves",
    });
    await h.posted(RANDOM.id, 1);
    const [reply] = h.botMessages(RANDOM.id);
    expect(reply?.reference?.message_id).toBe(there.id);
    expect(shownText(reply)).toContain("Create Public Threads");
    expect(reply?.mentions).toEqual([]);

    const locked = h.emulator.userSends({
      channel: LOCKED,
      author: ALICE,
      mentionBot: true,
      content: "search for vaults",
    });
    await h.emulator.waitForCall(
      "POST /channels/:id/messages",
      (call) => call.params.id === LOCKED.id && call.status === 403,
    );
    await h.idle();
    expect(h.botMessages(LOCKED.id)).toEqual([]);
    expect(
      h.logs.some(
        (line) =>
          line.msg.startsWith("cannot start a thread on a Discord mention") && line.message === locked.id,
      ),
    ).toBe(true);
  });

  it("never lets a request ping @everyone, a role or a person through the bot", async () => {
    const { thread } = await h.mention(`search for @everyone @here <@&${APPROVER_ROLE}> <@${BOB.id}>`);
    await h.posted(thread, 2);
    const messages = h.botMessages(thread);
    expect(shownText(messages.at(-1))).toContain("everyone");
    for (const message of messages) {
      expect(message.mentions).toEqual([]);
      expect(message.mentionRoles).toEqual([]);
      expect(message.mentionEveryone).toBe(false);
    }
  });

  it("waits out a 429 on a progress edit in discord.js's queue and still finishes", async () => {
    h.emulator.failNext("PATCH /channels/:id/messages/:mid", { status: 429, retryAfter: 1 });
    const { thread } = await h.mention("search for otters");
    await h.posted(thread, 2);
    const edits = h.emulator.callsOf(
      "PATCH /channels/:id/messages/:mid",
      (call) => call.params.id === thread,
    );
    expect(edits[0]?.status).toBe(429);
    expect(edits.slice(1).every((call) => call.status === 200)).toBe(true);
    const [card, answer] = h.botMessages(thread);
    expect(shownText(card)).toContain("1/1");
    expect(shownText(answer)).toContain("otters");
    expect(h.logs.some((line) => line.msg.startsWith("Discord rate limit"))).toBe(true);
  });
});

describe("a run that outlives its interaction's token", () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    // The adapter's token window, shrunk to nothing: every edit after the first goes the channel way.
    h = await DiscordHarness.start({ adapter: { interactionTokenTtlMs: 0 } });
  });
  afterAll(() => h?.close());

  it("carries on with ordinary channel edits of its root message", async () => {
    const delivery = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: ALICE,
      subcommand: "ask",
      options: { request: "search for long voyages" },
    });
    await h.settled(delivery);
    const root = h.emulator.interaction(delivery.id)?.original;
    const thread = h.threadOf(root?.id ?? "");
    expect(shownText(root)).toContain("1/1");
    expect(shownText(h.botMessages(thread).at(-1))).toContain("long voyages");
    expect(h.emulator.callsOf("PATCH /webhooks/:app/:token/messages/@original")).toHaveLength(1);
    const edits = h.emulator.callsOf(
      "PATCH /channels/:id/messages/:mid",
      (call) => call.params.mid === root?.id,
    );
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.every((call) => call.params.id === GENERAL.id && call.status === 200)).toBe(true);
  });
});
