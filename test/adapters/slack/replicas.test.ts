import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter, type SlackAdapter } from "../../../src/adapters/slack/index.js";
import type { Config } from "../../../src/config.js";
import { type ConversationService, storeLedger } from "../../../src/conversations/index.js";
import type { JobQueue } from "../../../src/store/index.js";
import { createTestService, replicaQueue, testQueue } from "../../support/service.js";
import { ALICE, BOSS, botMessages, FAST, GENERAL, SlackHarness, shownText } from "./harness.js";

/** A second bot process on the harness's database: its own service, queue and Slack adapter. */
async function anotherProcess(h: SlackHarness, queue: JobQueue, config: Config) {
  const { service } = createTestService(h.store, { settings: { approvers: [BOSS] }, queue });
  const adapter = createSlackAdapter(
    { config, conversations: service, ledger: storeLedger(h.store), logger: pino({ level: "silent" }) },
    FAST,
  ) as SlackAdapter;
  await adapter.start();
  await service.start();
  return { service, adapter };
}

/** Two bot processes behind one Slack app, on one database: each event still runs once. */
describe("two Slack adapter replicas on one database", () => {
  let h: SlackHarness;
  let second: { service: ConversationService; adapter: SlackAdapter } | undefined;
  beforeAll(async () => {
    h = await SlackHarness.start({
      queue: async (store) => (await replicaQueue(store, "replica-a")) ?? testQueue(store),
    });
    const queue = await replicaQueue(h.store, "replica-b");
    if (!queue) {
      console.warn("[test] no Postgres server: two replicas on one database cannot be shown on PGlite");
      return;
    }
    second = await anotherProcess(h, queue, h.config);
  });
  afterAll(async () => {
    await second?.service.close();
    await second?.adapter.stop();
    await h?.close();
  });

  it("runs an event delivered to both replicas (and retried to each) once", async () => {
    if (!second) return;
    const other = h.emulator.http(second.adapter.eventsUrl as string);
    for (let i = 0; i < 5; i++) {
      const mention = h.emulator.payloads.mention({
        user: ALICE,
        channel: GENERAL,
        text: `search for plankton ${i}`,
      });
      const acks = await Promise.all([
        h.delivery.event(mention.body),
        other.event(mention.body),
        h.delivery.event(mention.body, { retryNum: 1 }),
        other.event(mention.body, { retryNum: 2 }),
      ]);
      expect(acks.map((ack) => ack.status)).toEqual([200, 200, 200, 200]);
      await Promise.all([h.idle(), second.adapter.idle()]);
      const replies = botMessages(h, GENERAL, mention.ts);
      expect(replies.filter((m) => shownText(m).includes("completed ·"))).toHaveLength(1);
      expect(replies).toHaveLength(2);
    }
  });
});

/** OCTO_ROLE: one process receives Slack's events, another runs the conversations and answers. */
describe("an intake process and a worker process on one database", () => {
  let h: SlackHarness | undefined;
  let worker: { service: ConversationService; adapter: SlackAdapter } | undefined;
  afterAll(async () => {
    await worker?.service.close();
    await worker?.adapter.stop();
    await h?.close();
  });

  it("acks and keeps the request on the intake, answers it from the worker", async () => {
    h = await SlackHarness.start({
      queue: async (store) => (await replicaQueue(store, "intake")) ?? testQueue(store),
      service: { takesJobs: false },
    });
    const queue = await replicaQueue(h.store, "worker");
    if (!queue) {
      console.warn("[test] no Postgres server: an intake and a worker process cannot share PGlite");
      return;
    }
    worker = await anotherProcess(h, queue, { ...h.config, OCTO_ROLE: "worker" });
    const { adapter } = worker;
    // The worker receives nothing itself: no endpoint of its own.
    expect(adapter.eventsUrl).toBeUndefined();

    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for krill" });
    const ack = await h.delivery.event(mention.body);
    expect(ack.status).toBe(200);
    // Kept before the ack: the job is in the queue (or already running on the worker).
    await h.idle();
    await adapter.idle();
    const replies = botMessages(h, GENERAL, mention.ts);
    expect(replies.filter((m) => shownText(m).includes("completed ·"))).toHaveLength(1);
    expect(replies).toHaveLength(2);
  });
});
