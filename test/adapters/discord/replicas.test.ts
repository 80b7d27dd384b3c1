import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createDiscordAdapter, type DiscordAdapter } from "../../../src/adapters/discord/index.js";
import { type ConversationService, storeLedger } from "../../../src/conversations/index.js";
import { ALICE, BOSS, GENERAL } from "../../emulators/discord/index.js";
import { createTestService, replicaQueue, testQueue } from "../../support/service.js";
import { DiscordHarness, FAST, shownText } from "./harness.js";

/** OCTO_ROLE: one process receives Discord's events, another runs the conversations and posts. */
describe("a Discord intake process and a worker process on one database", () => {
  let h: DiscordHarness | undefined;
  let worker: { service: ConversationService; adapter: DiscordAdapter } | undefined;
  afterAll(async () => {
    await worker?.service.close();
    await worker?.adapter.stop();
    await h?.close();
  });

  it("takes requests on the intake and answers them from the worker, which opens no gateway", async () => {
    h = await DiscordHarness.start({
      queue: async (store) => (await replicaQueue(store, "intake")) ?? testQueue(store),
      service: { takesJobs: false },
    });
    const queue = await replicaQueue(h.store, "worker");
    if (!queue) {
      console.warn("[test] no Postgres server: an intake and a worker process cannot share PGlite");
      return;
    }
    const { service } = createTestService(h.store, { settings: { approvers: [BOSS.id] }, queue });
    const adapter = createDiscordAdapter(
      {
        config: { ...h.config, OCTO_ROLE: "worker" },
        conversations: service,
        ledger: storeLedger(h.store),
        logger: pino({ level: "silent" }),
      },
      FAST,
    ) as DiscordAdapter;
    await adapter.start();
    await service.start();
    worker = { service, adapter };
    expect(adapter.interactions).toBeUndefined();
    expect(h.emulator.gatewayFrames.filter((frame) => frame.name === "IDENTIFY")).toHaveLength(1);

    const mention = h.emulator.userSends({
      channel: GENERAL,
      author: ALICE,
      mentionBot: true,
      content: "search for krill",
    });
    await h.emulator.waitForCall(
      "POST /channels/:id/messages/:mid/threads",
      (call) => call.params.mid === mention.id,
    );
    const thread = h.threadOf(mention.id);
    await h.emulator.waitForCall("POST /channels/:id/messages", (call) => call.params.id === thread, {
      nth: 2,
    });
    await Promise.all([h.idle(), adapter.idle()]);
    const [card, answer, ...rest] = h.botMessages(thread);
    expect(shownText(card)).toContain("1/1");
    expect(shownText(answer)).toContain("krill");
    expect(rest).toEqual([]);

    // A command's reply shows the progress even when another process runs the request: the job names it.
    const command = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: ALICE,
      subcommand: "ask",
      options: { request: "search for plankton" },
    });
    await h.settled(command);
    const root = h.emulator.interaction(command.id)?.original;
    const commandThread = h.threadOf(root?.id ?? "");
    await h.emulator.waitForCall("POST /channels/:id/messages", (call) => call.params.id === commandThread);
    await Promise.all([h.idle(), adapter.idle()]);
    expect(shownText(h.emulator.message(root?.id ?? ""))).toContain("1/1");
    expect(h.botMessages(commandThread)).toHaveLength(1);
  });
});
