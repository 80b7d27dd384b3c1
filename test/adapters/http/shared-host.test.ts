import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  INTERACTIONS_PATH,
  mountInteractionsEndpoint,
} from "../../../src/adapters/discord/http-interactions.js";
import type { InteractionIntake } from "../../../src/adapters/discord/interaction-contract.js";
import { HttpHost } from "../../../src/adapters/http/index.js";
import { EVENTS_PATH } from "../../../src/adapters/slack/index.js";
import { capturingLogger, type LogLine } from "../../support/logs.js";
import { applicationKey, postInteraction, signatureHeaders } from "../discord/signed.js";
import { ALICE, botMessages, GENERAL, SlackHarness, shownText } from "../slack/harness.js";

/** What main.ts does: one server, Slack's events and Discord's interactions mounted on it, one port. */
describe("Slack and Discord routes on one HTTP server", () => {
  const key = applicationKey();
  const logs: LogLine[] = [];
  const seen: string[] = [];
  let host: HttpHost;
  let h: SlackHarness;

  beforeAll(async () => {
    host = new HttpHost({ host: "127.0.0.1", port: 0, logger: capturingLogger(logs) });
    const intake: InteractionIntake = {
      handle: async (interaction, respond) => {
        seen.push(interaction.id);
        await respond({ type: 4, data: { content: "hello from Discord" } });
      },
    };
    mountInteractionsEndpoint(host.routes, {
      publicKey: key.publicKeyHex,
      intake,
      logger: capturingLogger(logs),
      apiUrl: undefined,
    });
    h = await SlackHarness.start({ transport: "http", host });
  });
  afterAll(async () => {
    await h?.close();
    await host?.close();
  });

  it("serves a Slack mention and a Discord interaction on the same port, and /healthz", async () => {
    const slackUrl = new URL(h.adapter.eventsUrl as string);
    const discordUrl = new URL(host.routes.urlOf(INTERACTIONS_PATH) as string);
    expect(slackUrl.pathname).toBe(EVENTS_PATH);
    expect(slackUrl.origin).toBe(discordUrl.origin);
    expect(logs.find((line) => line.msg === "HTTP server listening")).toMatchObject({
      routes: expect.arrayContaining([`POST ${INTERACTIONS_PATH}`, `POST ${EVENTS_PATH}`]),
    });

    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for squid" });
    expect((await h.delivery.event(mention.body)).status).toBe(200);

    const body = JSON.stringify({
      id: "1300000000000000042",
      application_id: "1100000000000000001",
      type: 2,
      token: "interaction-token",
      version: 1,
      data: { id: "1", name: "octo", type: 1 },
    });
    const discord = await postInteraction(discordUrl.href, body, signatureHeaders(key.privateKey, body));
    expect(await discord.json()).toEqual({ type: 4, data: { content: "hello from Discord" } });
    expect(seen).toEqual(["1300000000000000042"]);

    const health = await fetch(new URL("/healthz", slackUrl));
    expect(await health.text()).toBe("ok");

    await h.idle();
    const replies = botMessages(h, GENERAL, mention.ts);
    expect(replies.some((message) => shownText(message).includes("completed ·"))).toBe(true);
  });

  it("keeps Slack's own signature check on the shared server", async () => {
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for crabs" });
    const http = h.emulator.http(h.adapter.eventsUrl as string);
    const refused = await http.event(mention.body, { tamper: { secret: "not-the-signing-secret" } });
    expect(refused.status).toBe(401);
  });

  it("answers 503 while the Slack adapter is stopped, and serves it again once it restarts", async () => {
    const url = h.adapter.eventsUrl as string;
    await h.adapter.stop();
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for clams" });
    // Slack retries a 5xx delivery: the event is not lost while the adapter is away.
    expect((await h.emulator.http(url).event(mention.body)).status).toBe(503);
    await h.restart();
    expect(h.adapter.eventsUrl).toBe(url);
    expect((await h.delivery.event(mention.body)).status).toBe(200);
    await h.idle();
    expect(botMessages(h, GENERAL, mention.ts).some((m) => shownText(m).includes("completed ·"))).toBe(true);
  });
});
