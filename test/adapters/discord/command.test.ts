import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordThreadKey } from "../../../src/adapters/discord/index.js";
import { ALICE, BOB, DMS, GENERAL, GUILD_ID, LOCKED, MINJI } from "../../emulators/discord/index.js";
import { DiscordHarness, gate, shownText } from "./harness.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("/octo on Discord", () => {
  let h: DiscordHarness;
  const intentGate = gate();
  let holdIntent = false;
  beforeAll(async () => {
    h = await DiscordHarness.start({
      env: { OCTO_MAX_INPUT_CHARS: "200" },
      service: {
        settings: { maxInputChars: 200 },
        scripted: {
          handlers: {
            intent: async ({ context }) => {
              if (holdIntent) await intentGate.wait;
              return { category: "search", summary: String(context.request ?? "").slice(0, 100) };
            },
          },
        },
      },
    });
  });
  afterAll(() => h?.close());

  /** Runs `/octo ask` in #general; returns the interaction and the thread its reply started. */
  async function ask(request: string, format?: string, author = ALICE) {
    const delivery = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author,
      subcommand: "ask",
      options: { request, ...(format ? { format } : {}) },
    });
    await h.settled(delivery);
    const original = h.emulator.interaction(delivery.id)?.original;
    if (!original) throw new Error("the command has no reply");
    return { delivery, original, thread: h.threadOf(original.id) };
  }

  it("defers before any model work; the reply becomes the thread's root and shows the progress", async () => {
    holdIntent = true;
    const delivery = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: ALICE,
      subcommand: "ask",
      options: { request: "search for deep sea fish" },
    });
    const callback = await h.emulator.waitForCall("POST /interactions/:id/:token/callback", (call) =>
      call.path.includes(delivery.id),
    );
    expect(callback.body).toEqual({ type: 5 });
    // The model is held: the thread and the root's progress still come.
    const started = await h.emulator.waitForCall("POST /channels/:id/messages/:mid/threads");
    expect(started.body).toMatchObject({ name: "search for deep sea fish" });
    holdIntent = false;
    intentGate.open();
    await h.idle();
    const view = h.emulator.interaction(delivery.id);
    const root = view?.original;
    expect(root?.content).toContain(`<@${ALICE.id}>`);
    expect(root?.content).toContain("search for deep sea fish");
    expect(shownText(root)).toContain("1/1");
    const thread = h.threadOf(root?.id ?? "");
    const inThread = h.botMessages(thread);
    // No second progress card: the root shows it; the thread holds the answer.
    expect(inThread).toHaveLength(1);
    expect(shownText(inThread[0])).toContain("deep sea fish");
    // While the token lived, the root was edited through the interaction's webhook.
    expect(h.emulator.callsOf("PATCH /webhooks/:app/:token/messages/@original").length).toBeGreaterThan(1);
    expect(
      h.emulator.callsOf("PATCH /channels/:id/messages/:mid", (call) => call.params.mid === root?.id),
    ).toEqual([]);
  });

  it("format graph: the picture inside the embed and the graph JSON, in one message", async () => {
    const { thread } = await ask("search for deep sea fish then analyze the data", "graph");
    const answer = h.botMessages(thread).find((message) => message.attachments.length > 0);
    const png = answer?.attachments.find((file) => file.filename.endsWith(".png"));
    const json = answer?.attachments.find((file) => file.filename.endsWith(".json"));
    expect(png?.data.subarray(0, 8).equals(PNG)).toBe(true);
    expect(JSON.stringify(answer?.embeds)).toContain(`attachment://${png?.filename}`);
    const graph = JSON.parse(json?.data.toString("utf8") ?? "{}") as { nodes?: unknown[]; edges?: unknown[] };
    expect(graph.nodes).toHaveLength(2);
    expect(graph.edges).toHaveLength(1);
  });

  it("format report: a PDF and a Markdown file", async () => {
    const { thread } = await ask("search for whale songs", "report");
    const files = h.botMessages(thread).flatMap((message) => message.attachments);
    expect(
      files
        .find((f) => f.filename.endsWith(".pdf"))
        ?.data.subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");
    expect(files.find((f) => f.filename.endsWith(".md"))?.data.toString("utf8")).toContain("whale songs");
  });

  it("answers help in the person's Discord language, and refuses an oversized request, ephemerally", async () => {
    const before = h.emulator.calls.entries.filter((call) => call.method !== "GET").length;
    const help = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: MINJI,
      subcommand: "help",
      locale: "ko",
    });
    const long = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: BOB,
      subcommand: "ask",
      options: { request: "x".repeat(300) },
    });
    await h.settled(help);
    await h.settled(long);
    const helpReply = h.emulator.interaction(help.id)?.callbacks[0];
    expect(helpReply).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(shownText(helpReply?.data as never)).toContain("/octo ask request:");
    expect(shownText(helpReply?.data as never)).toContain("도움말");
    const longReply = h.emulator.interaction(long.id)?.callbacks[0];
    expect(longReply).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(shownText(longReply?.data as never)).toContain("300 characters");
    // Nothing but the two answers: no thread, no run.
    const since = h.emulator.calls.entries.filter((call) => call.method !== "GET").slice(before);
    expect(since.map((call) => call.route)).toEqual([
      "POST /interactions/:id/:token/callback",
      "POST /interactions/:id/:token/callback",
    ]);
    expect(h.logs.some((line) => line.msg === "Discord command refused: request too long")).toBe(true);
  });

  it("history, rewind and forget act on the person's latest conversation in the channel, ephemerally", async () => {
    const { thread } = await ask("search for manta rays", undefined, BOB);
    const say = async (subcommand: string, options?: Record<string, number>) => {
      const delivery = await h.emulator.userRunsCommand({
        channel: GENERAL,
        author: BOB,
        subcommand,
        options,
      });
      await h.settled(delivery);
      const view = h.emulator.interaction(delivery.id);
      expect(view?.callbacks[0]).toMatchObject({ type: 5, data: { flags: 64 } });
      expect((view?.original?.flags ?? 0) & 64).toBe(64);
      return shownText(view?.original);
    };
    expect(await say("history")).toContain("search for manta rays");
    expect(await say("rewind", { n: 5 })).toContain("only 1 turn");
    expect(await say("rewind", { n: 1 })).toContain("now has 0 turn");
    expect(await say("forget")).toContain("Forgot");
    expect(await say("history")).toContain("no conversation");
    expect(
      await h.service.history(discordThreadKey({ guild: GUILD_ID, channel: GENERAL.id, thread })),
    ).toMatchObject({ turnCount: 0 });
  });

  it("in a conversation's thread, continues that conversation with the reply showing the progress", async () => {
    const { thread } = await ask("search for sea urchins");
    const delivery = await h.emulator.userRunsCommand({
      channel: thread,
      author: ALICE,
      subcommand: "ask",
      options: { request: "search for their predators" },
    });
    await h.settled(delivery);
    const reply = h.emulator.interaction(delivery.id)?.original;
    expect(reply?.channelId).toBe(thread);
    expect(shownText(reply)).toContain("1/1");
    expect(shownText(h.botMessages(thread).at(-1))).toContain("their predators");
    const key = discordThreadKey({ guild: GUILD_ID, channel: GENERAL.id, thread });
    expect((await h.service.history(key)).turnCount).toBe(2);
  });

  it("works in a DM too, where the reply itself is the conversation's place", async () => {
    const delivery = await h.emulator.userRunsCommand({
      channel: DMS.alice,
      author: ALICE,
      subcommand: "ask",
      options: { request: "search for coral" },
    });
    await h.settled(delivery);
    const root = h.emulator.interaction(delivery.id)?.original;
    expect(shownText(root)).toContain("1/1");
    expect(shownText(h.botMessages(DMS.alice.id).at(-1))).toContain("coral");
  });

  it("tells the person alone which permissions are missing where it may not start a thread", async () => {
    const delivery = await h.emulator.userRunsCommand({
      channel: LOCKED,
      author: BOB,
      subcommand: "ask",
      options: { request: "search for secrets" },
    });
    await h.settled(delivery);
    const view = h.emulator.interaction(delivery.id);
    expect(view?.original).toBeUndefined();
    const [told] = view?.followUps ?? [];
    expect((told?.flags ?? 0) & 64).toBe(64);
    expect(shownText(told)).toContain("Create Public Threads");
    expect(h.logs.some((line) => line.msg === "Discord API call failed" && line.error === "50013")).toBe(
      true,
    );
  });

  it("logs failed webhook calls with Discord's code and route, never with the interaction's token", async () => {
    // The reply cannot become the request's message, and telling the person fails too: all is logged.
    h.emulator.failNext("PATCH /webhooks/:app/:token/messages/@original", { status: 500, times: 2 });
    h.emulator.failNext("POST /webhooks/:app/:token", { status: 500, times: 2 });
    const delivery = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: BOB,
      subcommand: "ask",
      options: { request: "search for failures" },
    });
    await h.settled(delivery);
    const failed = h.logs.filter((line) => line.msg === "Discord API call failed");
    expect(failed.map((line) => line.route)).toEqual(
      expect.arrayContaining(["PATCH /webhooks/:id/:token/messages/:ref", "POST /webhooks/:id/:token"]),
    );
    expect(h.logs.some((line) => line.msg === "Discord command failed")).toBe(true);
    const logged = JSON.stringify(h.logs);
    // Its secret part, however a URL would encode the rest.
    expect(logged).not.toContain(delivery.token.split(":").pop());
    expect(logged).not.toContain(h.emulator.token);
  });
});
