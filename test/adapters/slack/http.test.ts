import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, GENERAL, SlackHarness } from "./harness.js";

/** Bolt's HTTPReceiver checks every request's signature and age before anything else happens. */
describe("Slack HTTP mode request verification", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start({ transport: "http" });
  });
  afterAll(() => h?.close());

  it("refuses a bad signature, a stale timestamp and an unsigned request with 401, doing nothing", async () => {
    const http = h.emulator.http(h.adapter.eventsUrl as string);
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for eels" });
    const command = h.emulator.payloads.command({ user: ALICE, channel: GENERAL, text: "search for eels" });
    const sixMinutesAgo = Date.now() - 6 * 60 * 1000;
    const before = h.emulator.calls.length;
    const results = [
      await http.event(mention.body, { tamper: { secret: "not-the-signing-secret" } }),
      await http.event(mention.body, { tamper: { signedAtMs: sixMinutesAgo } }),
      await http.event(mention.body, { tamper: { unsigned: true } }),
      await http.command(command, { tamper: { secret: "not-the-signing-secret" } }),
      await http.interaction({ type: "block_actions" }, { tamper: { signedAtMs: sixMinutesAgo } }),
    ];
    expect(results.map((result) => result.status)).toEqual([401, 401, 401, 401, 401]);
    await h.idle();
    expect(h.emulator.calls.slice(before)).toEqual([]);
    const claimed = await h.ledger.claimEvent(`slack:msg:T0OCTO:${GENERAL}:${mention.ts}`);
    expect(claimed).toBe(true);
  });

  it("accepts the same request signed correctly, and answers Slack's url_verification challenge", async () => {
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for rays" });
    expect((await h.delivery.event(mention.body)).status).toBe(200);
    const challenge = await h.delivery.event({ type: "url_verification", token: "t", challenge: "c-123" });
    expect(challenge).toEqual({ status: 200, body: { challenge: "c-123" } });
    await h.idle();
    expect(
      h.emulator.callsOf("chat.postMessage", (call) => call.params.thread_ts === mention.ts).length,
    ).toBeGreaterThan(0);
  });

  it("serves a health check beside the events endpoint", async () => {
    const health = await fetch(new URL("/healthz", h.adapter.eventsUrl as string));
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok");
  });
});
