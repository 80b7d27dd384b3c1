import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, actionIds, botMessages, GENERAL, SlackHarness, shownText } from "./harness.js";

/** Socket Mode: no HTTP endpoint; the app opens the emulator's WebSocket and acknowledges envelopes. */
describe("Slack Socket Mode", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start({ transport: "socket" });
  });
  afterAll(() => h?.close());

  it("connects with the app token through SLACK_API_URL and serves no HTTP endpoint", () => {
    expect(h.adapter.mode).toBe("socket");
    expect(h.adapter.eventsUrl).toBeUndefined();
    expect(h.emulator.callsOf("apps.connections.open").map((call) => call.auth)).toEqual(["app"]);
    expect(h.emulator.socketMode.connections).toBe(1);
  });

  it("acknowledges a mention's envelope and answers in the thread", async () => {
    const acksBefore = h.emulator.socketMode.acks.length;
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for sea stars",
    });
    const ack = await h.delivery.event(mention.body);
    expect(ack.status).toBe(200);
    expect(h.emulator.socketMode.acks.length).toBe(acksBefore + 1);
    await h.idle();
    const [card, answer] = botMessages(h, GENERAL, mention.ts);
    expect(card?.revisions.length).toBeGreaterThan(0);
    expect(shownText(answer ?? { text: "" })).toContain("sea stars");
  });

  it("returns slash command help in the envelope acknowledgement", async () => {
    const ack = await h.delivery.command(
      h.emulator.payloads.command({ user: ALICE, channel: GENERAL, text: "help" }),
    );
    expect(ack.body).toMatchObject({ response_type: "ephemeral" });
    expect(shownText(ack.body as { text: string; blocks?: unknown })).toContain("/octo rewind N");
  });

  it("runs the approval flow over the socket", async () => {
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "draft a contract for buoys",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const card = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes("octo_approve"));
    if (!card) throw new Error("no approval card");
    const ack = await h.delivery.interaction(
      h.emulator.payloads.blockAction({ user: ALICE, message: card, actionId: "octo_approve" }),
    );
    expect(ack.status).toBe(200);
    await h.idle();
    expect(actionIds(card)).toEqual([]);
    expect(
      botMessages(h, GENERAL, mention.ts).some((m) =>
        shownText(m).includes("contract templates kept with Octostrator"),
      ),
    ).toBe(true);
  });

  it("reconnects when Slack asks it to, and keeps serving", async () => {
    h.emulator.socketMode.requestReconnect();
    await h.emulator.waitForCall("apps.connections.open", undefined, { nth: 2 });
    await h.emulator.socketMode.waitForConnection();
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for anemones",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    expect(botMessages(h, GENERAL, mention.ts).some((m) => shownText(m).includes("anemones"))).toBe(true);
  });
});
