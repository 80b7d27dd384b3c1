import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import {
  ALICE,
  BOB,
  botMessages,
  DM,
  GENERAL,
  gate,
  type SlackHarness as Harness,
  MINJI,
  SlackHarness,
  shownText,
  type Transport,
} from "./harness.js";

describe.each<Transport>(["http", "socket"])("Slack mentions and DMs (%s)", (transport) => {
  let h: Harness;
  const intentGate = gate();
  let holdIntent = false;
  beforeAll(async () => {
    h = await SlackHarness.start({
      transport,
      service: {
        scripted: {
          handlers: {
            // Lets a test hold the model mid-run: the acknowledgement must not wait for it.
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

  it("acknowledges before any model work, shows progress at once, then answers in the thread", async () => {
    holdIntent = true;
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for octopus facts",
    });
    const ack = await h.delivery.event(mention.body);
    expect(ack.status).toBe(200);

    // The model is still held, yet the card is already in the thread.
    const card = await h.emulator.waitForCall(
      "chat.postMessage",
      (call) => call.params.thread_ts === mention.ts,
    );
    expect(
      h.emulator.callsOf("chat.postMessage", (call) => call.params.thread_ts === mention.ts),
    ).toHaveLength(1);
    holdIntent = false;
    intentGate.open();
    await h.idle();

    const replies = botMessages(h, GENERAL, mention.ts);
    expect(replies.map((m) => m.ts)[0]).toBe(card.response.ts);
    const [progress, answer, ...rest] = replies;
    expect(rest).toEqual([]);
    expect(progress?.revisions.length).toBeGreaterThan(0);
    expect(h.emulator.callsOf("chat.update").every((call) => call.params.ts === progress?.ts)).toBe(true);
    expect(shownText(progress as never)).toContain("1/1");
    expect(answer?.blocks?.length).toBeGreaterThan(0);
    expect(shownText(answer as never)).toContain(
      'The search agent handled "search: search for octopus facts"',
    );
  });

  it("continues the same conversation for a follow-up mention in the thread", async () => {
    const first = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for squid" });
    await h.delivery.event(first.body);
    await h.idle();
    const followUp = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "now search for cuttlefish",
      threadTs: first.ts,
    });
    await h.delivery.event(followUp.body);
    await h.idle();

    const key = slackThreadKey({ team: "T0OCTO", channel: GENERAL, threadTs: first.ts });
    const history = await h.service.history(key);
    expect(history.turns.map((turn) => turn.request)).toEqual([
      "search for squid",
      "now search for cuttlefish",
    ]);
    const answers = botMessages(h, GENERAL, first.ts).filter((m) => shownText(m).includes("agent handled"));
    expect(answers.map((m) => m.threadTs)).toEqual([first.ts, first.ts]);
  });

  it("answers a Korean request in Korean, card and answer alike", async () => {
    const mention = h.emulator.payloads.mention({
      user: MINJI,
      channel: GENERAL,
      text: "문어에 대해 검색해 주세요",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const [card, answer] = botMessages(h, GENERAL, mention.ts);
    expect(shownText(card ?? { text: "" })).toContain("완료");
    expect(shownText(answer ?? { text: "" })).toContain("1개 중 1개 완료");
    expect(shownText(answer ?? { text: "" })).toContain("에이전트가");
  });

  it("answers a DM without a mention, in the DM", async () => {
    const message = h.emulator.payloads.message({
      user: ALICE,
      channel: DM,
      text: "search for kelp forests",
    });
    await h.delivery.event(message.body);
    await h.idle();
    const replies = botMessages(h, DM, message.ts);
    expect(replies.some((m) => shownText(m).includes("kelp forests"))).toBe(true);
  });

  it("ignores bots, edits, joins and channel chatter without a mention", async () => {
    const before = h.emulator.calls.length;
    const root = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "x" });
    const ignored = [
      h.emulator.payloads.message({ user: BOB, channel: GENERAL, text: "just talking", threadTs: root.ts }),
      h.emulator.payloads.message({
        user: BOB,
        channel: GENERAL,
        text: "edited",
        subtype: "message_changed",
      }),
      h.emulator.payloads.message({ user: BOB, channel: GENERAL, text: "joined", subtype: "channel_join" }),
      h.emulator.payloads.message({ user: "U0OTHERBOT", channel: DM, text: "beep", botId: "B0OTHER" }),
      h.emulator.payloads.message({
        user: "U0OCTOBOT",
        channel: DM,
        text: "my own reply",
        botId: "B0OCTOBOT",
      }),
    ];
    for (const event of ignored) expect((await h.delivery.event(event.body)).status).toBe(200);
    await h.idle();
    expect(h.emulator.calls.slice(before).map((call) => call.method)).toEqual([]);
  });

  it("runs an event at most once when Slack retries it three times", async () => {
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for nautilus",
    });
    await h.delivery.event(mention.body);
    for (let retry = 1; retry <= 3; retry++) {
      const redelivered = h.emulator.payloads.redelivery(mention);
      expect(
        (await h.delivery.event(redelivered.body, { retryNum: retry, retryReason: "http_timeout" })).status,
      ).toBe(200);
    }
    await h.idle();
    const replies = botMessages(h, GENERAL, mention.ts);
    expect(replies.filter((m) => shownText(m).includes("agent handled"))).toHaveLength(1);
    expect(replies).toHaveLength(2);
  });

  it("treats one DM delivered as app_mention and as message.im as one request", async () => {
    const message = h.emulator.payloads.message({
      user: ALICE,
      channel: DM,
      text: "<@U0OCTOBOT> search for coral",
    });
    const asMention = structuredClone(message.body);
    asMention.event.type = "app_mention";
    asMention.event_id = `${message.eventId}b`;
    await Promise.all([h.delivery.event(message.body), h.delivery.event(asMention)]);
    await h.idle();
    expect(botMessages(h, DM, message.ts).filter((m) => shownText(m).includes("agent handled"))).toHaveLength(
      1,
    );
  });
});
