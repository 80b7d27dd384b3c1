import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter, type SlackAdapter } from "../../../src/adapters/slack/index.js";
import { type ConversationService, storeLedger } from "../../../src/conversations/index.js";
import { createTestService } from "../../support/service.js";
import { ALICE, BOSS, botMessages, FAST, GENERAL, SlackHarness, shownText } from "./harness.js";

/** Two bot processes behind one Slack app, on one database: each event still runs once. */
describe("two Slack adapter replicas on one database", () => {
  let h: SlackHarness;
  let second: { service: ConversationService; adapter: SlackAdapter };
  beforeAll(async () => {
    h = await SlackHarness.start();
    const { service } = createTestService(h.store, { settings: { approvers: [BOSS] } });
    const adapter = createSlackAdapter(
      {
        config: h.config,
        conversations: service,
        ledger: storeLedger(h.store),
        logger: pino({ level: "silent" }),
      },
      FAST,
    ) as SlackAdapter;
    await adapter.start();
    second = { service, adapter };
  });
  afterAll(async () => {
    await second?.adapter.stop();
    await second?.service.close();
    await h?.close();
  });

  it("runs an event delivered to both replicas (and retried to each) once", async () => {
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
