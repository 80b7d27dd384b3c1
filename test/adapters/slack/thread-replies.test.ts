import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import {
  ALICE,
  BOB,
  botMessages,
  GENERAL,
  type SlackHarness as Harness,
  SlackHarness,
  shownText,
  type Transport,
} from "./harness.js";

/** A private channel: its messages arrive as message.groups (channel_type `group`). */
const SECRET = "C0SECRET";

describe.each<Transport>(["http", "socket"])("Slack thread replies without a mention (%s)", (transport) => {
  let h: Harness;
  beforeAll(async () => {
    h = await SlackHarness.start({ transport });
  });
  afterAll(() => h?.close());

  const keyOf = (channel: string, threadTs: string) => slackThreadKey({ team: "T0OCTO", channel, threadTs });
  const answersIn = (channel: string, threadTs: string) =>
    botMessages(h, channel, threadTs).filter((m) => shownText(m).includes("agent handled"));

  /** Starts a conversation with a mention and waits for its answer. */
  async function converse(channel: string, text: string) {
    const mention = h.emulator.payloads.mention({ user: ALICE, channel, text });
    await h.delivery.event(mention.body);
    await h.idle();
    expect(answersIn(channel, mention.ts)).toHaveLength(1);
    return mention;
  }

  it("continues the thread's conversation from a plain reply, once however often Slack delivers it", async () => {
    const root = await converse(GENERAL, "search for walruses");
    const reply = h.emulator.payloads.message({
      user: BOB,
      channel: GENERAL,
      text: "now search for their tusks",
      threadTs: root.ts,
    });
    await h.delivery.event(reply.body);
    await h.delivery.event(h.emulator.payloads.redelivery(reply).body, { retryNum: 1 });
    await h.idle();

    const history = await h.service.history(keyOf(GENERAL, root.ts));
    expect(history.turns.map((turn) => turn.request)).toEqual([
      "search for walruses",
      "now search for their tusks",
    ]);
    const answers = answersIn(GENERAL, root.ts);
    expect(answers).toHaveLength(2);
    expect(shownText(answers[1] ?? { text: "" })).toContain("their tusks");
  });

  it("tells only the poster, with no card, when the thread waits for an approval", async () => {
    const root = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "draft an NDA contract",
    });
    await h.delivery.event(root.body);
    await h.idle();
    const before = botMessages(h, GENERAL, root.ts).length;
    const reply = h.emulator.payloads.message({
      user: BOB,
      channel: GENERAL,
      text: "any news?",
      threadTs: root.ts,
    });
    await h.delivery.event(reply.body);
    await h.idle();
    expect(botMessages(h, GENERAL, root.ts)).toHaveLength(before);
    const notes = h.emulator.callsOf("chat.postEphemeral", (call) => call.params.user === BOB);
    expect(notes).toHaveLength(1);
    expect(JSON.stringify(notes[0]?.params)).toContain("waiting for a decision");
  });

  it("does the same in a private channel (message.groups)", async () => {
    const root = await converse(SECRET, "search for narwhals");
    const reply = h.emulator.payloads.message({
      user: ALICE,
      channel: SECRET,
      text: "and search for belugas",
      threadTs: root.ts,
    });
    expect(reply.body.event.channel_type).toBe("group");
    await h.delivery.event(reply.body);
    await h.idle();
    expect((await h.service.history(keyOf(SECRET, root.ts))).turns).toHaveLength(2);
  });

  it("runs a reply that mentions the bot once, though it arrives as app_mention and as a message", async () => {
    const root = await converse(GENERAL, "search for seals");
    const asMessage = h.emulator.payloads.message({
      user: ALICE,
      channel: GENERAL,
      text: "<@U0OCTOBOT> search for sea lions too",
      threadTs: root.ts,
    });
    const asMention = structuredClone(asMessage.body);
    asMention.event.type = "app_mention";
    delete asMention.event.channel_type;
    asMention.event_id = `${asMessage.eventId}m`;
    await Promise.all([h.delivery.event(asMessage.body), h.delivery.event(asMention)]);
    await h.idle();
    expect((await h.service.history(keyOf(GENERAL, root.ts))).turns).toHaveLength(2);
    expect(answersIn(GENERAL, root.ts)).toHaveLength(2);
  });

  it("ignores top-level chatter, threads without a conversation, and bots and edits in a conversation's thread", async () => {
    const root = await converse(GENERAL, "search for otters");
    const strangersThread = h.emulator.payloads.message({ user: BOB, channel: GENERAL, text: "lunch?" });
    const before = h.emulator.calls.length;
    const ignored = [
      h.emulator.payloads.message({ user: BOB, channel: GENERAL, text: "search for nothing, just talking" }),
      h.emulator.payloads.message({
        user: ALICE,
        channel: GENERAL,
        text: "search for sandwiches",
        threadTs: strangersThread.ts,
      }),
      h.emulator.payloads.message({
        user: "U0OTHERBOT",
        channel: GENERAL,
        text: "beep",
        threadTs: root.ts,
        botId: "B0OTHER",
      }),
      h.emulator.payloads.message({
        user: ALICE,
        channel: GENERAL,
        text: "edited",
        threadTs: root.ts,
        subtype: "message_changed",
      }),
      h.emulator.payloads.message({
        user: BOB,
        channel: GENERAL,
        text: "joined",
        threadTs: root.ts,
        subtype: "channel_join",
      }),
    ];
    for (const event of ignored) expect((await h.delivery.event(event.body)).status).toBe(200);
    await h.idle();

    expect(h.emulator.calls.slice(before).map((call) => call.method)).toEqual([]);
    expect(await h.ledger.hasConversation(keyOf(GENERAL, strangersThread.ts))).toBe(false);
    expect((await h.service.history(keyOf(GENERAL, root.ts))).turns).toHaveLength(1);
  });
});
