import { DiscordAPIError, REST, Routes } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NO_PINGS } from "./harness.js";
import { ALICE, DiscordEmulator, GENERAL } from "./index.js";

/** Bodies sent as raw JSON through @discordjs/rest, so the emulator's checks are what refuses them. */
describe("Discord emulator REST checks", () => {
  let emulator: DiscordEmulator;
  let rest: REST;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    rest = new REST({ api: emulator.apiUrl, retries: 1 }).setToken(emulator.token);
  });
  afterEach(() => emulator.reset());
  afterAll(async () => {
    await emulator.close();
  });

  async function refusal(
    body: Record<string, unknown>,
    route: `/${string}` = Routes.channelMessages(GENERAL.id),
  ) {
    const error = await rest.post(route, { body }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof DiscordAPIError))
      throw new Error(`expected a Discord API error, got ${String(error)}`);
    return {
      status: error.status,
      code: error.code,
      errors: (error.rawError as { errors?: unknown }).errors,
    };
  }

  const button = (customId: string) => ({ type: 2, style: 1, label: "Go", custom_id: customId });

  it("refuses what Discord refuses, naming the field like Discord does", async () => {
    expect(await refusal({ content: "x".repeat(2001), allowed_mentions: NO_PINGS })).toMatchObject({
      status: 400,
      code: 50035,
      errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } },
    });
    expect(
      await refusal({ embeds: [{ description: "x".repeat(4097) }], allowed_mentions: NO_PINGS }),
    ).toMatchObject({
      errors: { embeds: { "0": { description: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } } },
    });
    const big = { description: "x".repeat(4000) };
    expect(await refusal({ embeds: [big, big], allowed_mentions: NO_PINGS })).toMatchObject({
      errors: { embeds: { _errors: [{ code: "MAX_EMBED_SIZE_EXCEEDED" }] } },
    });
    expect(
      await refusal({
        components: [{ type: 1, components: [button("x".repeat(101))] }],
        allowed_mentions: NO_PINGS,
      }),
    ).toMatchObject({
      errors: {
        components: {
          "0": { components: { "0": { custom_id: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } } },
        },
      },
    });
    const six = Array.from({ length: 6 }, (_, i) => button(`b${i}`));
    expect(
      await refusal({ components: [{ type: 1, components: six }], allowed_mentions: NO_PINGS }),
    ).toMatchObject({
      errors: { components: { "0": { components: { _errors: [{ code: "BASE_TYPE_BAD_LENGTH" }] } } } },
    });
    expect(
      await refusal({
        components: [{ type: 1, components: [button("a"), button("a")] }],
        allowed_mentions: NO_PINGS,
      }),
    ).toMatchObject({ code: 50035 });
    expect(
      await refusal({ embeds: [{ image: { url: "attachment://missing.png" } }], allowed_mentions: NO_PINGS }),
    ).toMatchObject({
      errors: { embeds: { "0": { image: { url: { _errors: [{ code: "ATTACHMENT_NOT_FOUND" }] } } } } },
    });
    expect(await refusal({ allowed_mentions: NO_PINGS })).toMatchObject({ status: 400, code: 50006 });
    expect(emulator.messages(GENERAL)).toEqual([]);
  });

  it("holds the bot to allowed_mentions that cannot ping from text", async () => {
    expect(await refusal({ content: "@everyone hi" })).toMatchObject({
      errors: { allowed_mentions: { _errors: [{ code: "EMULATOR_ALLOWED_MENTIONS_REQUIRED" }] } },
    });
    expect(await refusal({ content: "hi", allowed_mentions: { parse: ["everyone"] } })).toMatchObject({
      errors: { allowed_mentions: { parse: { _errors: [{ code: "EMULATOR_ALLOWED_MENTIONS_PARSE" }] } } },
    });
    const sent = (await rest.post(Routes.channelMessages(GENERAL.id), {
      body: { content: `<@${ALICE.id}> done, @everyone`, allowed_mentions: { parse: [], users: [ALICE.id] } },
    })) as { id: string };
    expect(emulator.message(sent.id)).toMatchObject({ mentions: [ALICE.id], mentionEveryone: false });
  });

  it("refuses edits of other people's messages, unknown channels and a second thread on one message", async () => {
    const mine = emulator.userSends({ channel: GENERAL, author: ALICE, content: "mine" });
    await expect(
      rest.patch(Routes.channelMessage(GENERAL.id, mine.id), { body: { content: "x" } }),
    ).rejects.toMatchObject({
      status: 403,
      code: 50005,
    });
    await expect(
      rest.post(Routes.channelMessages("1"), { body: { content: "x", allowed_mentions: NO_PINGS } }),
    ).rejects.toMatchObject({
      status: 404,
      code: 10003,
    });
    await rest.post(Routes.threads(GENERAL.id, mine.id), { body: { name: "one" } });
    await expect(
      rest.post(Routes.threads(GENERAL.id, mine.id), { body: { name: "two" } }),
    ).rejects.toMatchObject({
      code: 160004,
    });
    const loose = (await rest.post(Routes.threads(GENERAL.id), { body: { name: "loose", type: 11 } })) as {
      id: string;
      parent_id: string;
    };
    expect(loose.parent_id).toBe(GENERAL.id);
    expect(emulator.threads().map((thread) => thread.name)).toEqual(["one", "loose"]);
  });

  it("asks for the bot token on bot routes and records the refusal", async () => {
    const anonymous = await fetch(`${emulator.apiUrl}/v10/users/@me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ code: 0, message: "401: Unauthorized" });
    const unknown = await fetch(`${emulator.apiUrl}/v10/nowhere`, {
      headers: { authorization: `Bot ${emulator.token}` },
    });
    expect(unknown.status).toBe(404);
    expect(emulator.calls.entries.map((call) => [call.route, call.auth, call.status])).toEqual([
      ["GET /users/@me", "none", 401],
      ["GET /nowhere", "bot", 404],
    ]);
  });

  it("injects server errors a given number of times; @discordjs/rest retries them", async () => {
    emulator.failNext("POST /channels/:id/messages", { status: 500 });
    await rest.post(Routes.channelMessages(GENERAL.id), {
      body: { content: "eventually", allowed_mentions: NO_PINGS },
    });
    expect(emulator.callsOf("POST /channels/:id/messages").map((call) => call.status)).toEqual([500, 200]);
    emulator.failNext("GET /channels/:id", { status: 403, after: 1 });
    await rest.get(Routes.channel(GENERAL.id));
    await expect(rest.get(Routes.channel(GENERAL.id))).rejects.toMatchObject({ status: 403, code: 50013 });
  });

  it("validates modals shown as an interaction response", async () => {
    const delivery = await emulator.userRunsCommand({ channel: GENERAL, author: ALICE, subcommand: "help" });
    const callback = Routes.interactionCallback(delivery.id, delivery.token);
    const modal = {
      type: 9,
      data: {
        custom_id: "m",
        title: "x".repeat(46),
        components: [{ type: 1, components: [{ type: 4, custom_id: "t", style: 1, label: "Task" }] }],
      },
    };
    await expect(rest.post(callback, { body: modal, auth: false })).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });
    await rest.post(callback, { body: { ...modal, data: { ...modal.data, title: "Edit" } }, auth: false });
    expect(emulator.interaction(delivery.id)?.callbacks.map((c) => c.status)).toEqual([400, 204]);
  });
});
