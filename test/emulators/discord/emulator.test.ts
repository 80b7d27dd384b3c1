import { createPublicKey, verify } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AttachmentBuilder,
  type ChatInputCommandInteraction,
  Client,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  Partials,
  Routes,
  type TextChannel,
} from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, DiscordEmulator, GENERAL, MINJI } from "./index.js";

/** The smallest valid PNG: 1x1, one transparent pixel. */
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);
const NO_PINGS = { parse: [] as never[] };

function timeout(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function newClient(emulator: DiscordEmulator): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    partials: [Partials.Channel],
    rest: { api: emulator.apiUrl },
  });
}

async function login(client: Client, emulator: DiscordEmulator): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(emulator.token);
  await ready;
}

describe("Discord emulator", () => {
  let emulator: DiscordEmulator;
  let client: Client;

  beforeEach(async () => {
    emulator = await DiscordEmulator.start();
    client = newClient(emulator);
  });
  afterEach(async () => {
    await Promise.race([client.destroy(), timeout(2000)]);
    await emulator.close();
  });

  it("logs discord.js in: READY, then GUILD_CREATE fills the guild cache", async () => {
    await login(client, emulator);
    expect(client.user?.id).toBe(emulator.botUserId);
    const guild = client.guilds.cache.get(emulator.guildId);
    expect(guild?.channels.cache.get(GENERAL.id)?.name).toBe("general");
    const identify = await emulator.waitForGateway("IDENTIFY");
    expect(identify.d).toMatchObject({ token: "[redacted]" });
    expect(emulator.callsOf("GET /gateway/bot")[0]?.auth).toBe("bot");

    const seen = new Promise<string>((resolve) =>
      client.once(Events.MessageCreate, (message) => resolve(message.content)),
    );
    emulator.userSends({ channel: GENERAL, author: ALICE, content: "hello", mentionBot: true });
    expect(await seen).toBe(`<@${emulator.botUserId}> hello`);
  });

  async function nextInteraction(): Promise<Interaction> {
    return new Promise((resolve) => client.once(Events.InteractionCreate, resolve));
  }

  it("takes a message with an embed and a PNG (multipart) and serves the bytes back", async () => {
    await login(client, emulator);
    const channel = client.channels.cache.get(GENERAL.id) as TextChannel;
    const sent = await channel.send({
      content: "the graph",
      embeds: [new EmbedBuilder().setTitle("Graph").setImage("attachment://graph.png")],
      files: [new AttachmentBuilder(PNG, { name: "graph.png" })],
      allowedMentions: NO_PINGS,
    });
    const call = await emulator.waitForCall("POST /channels/:id/messages");
    expect(call.files.map((file) => [file.field, file.filename, file.contentType])).toEqual([
      ["files[0]", "graph.png", "image/png"],
    ]);
    const [stored] = emulator.messages(GENERAL);
    expect(stored?.embeds).toEqual([{ title: "Graph", image: { url: "attachment://graph.png" } }]);
    expect(stored?.attachments[0]?.data.equals(PNG)).toBe(true);
    expect(sent.attachments.first()?.name).toBe("graph.png");
    const download = await fetch(sent.attachments.first()?.url ?? "");
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);

    await sent.edit({
      content: "the graph, again",
      files: [new AttachmentBuilder(Buffer.from("{}"), { name: "data.json" })],
    });
    const edited = emulator.message(sent.id);
    expect(edited?.content).toBe("the graph, again");
    expect(edited?.revisions.map((revision) => revision.content)).toEqual(["the graph"]);
    // API v10: an edit's `attachments` lists all that remain, and discord.js lists only the new upload.
    expect(edited?.attachments.map((attachment) => attachment.filename)).toEqual(["data.json"]);
  });

  it("starts a thread from a message with the message's id and posts in it", async () => {
    await login(client, emulator);
    const mention = emulator.userSends({
      channel: GENERAL,
      author: ALICE,
      content: "help",
      mentionBot: true,
    });
    const channel = client.channels.cache.get(GENERAL.id) as TextChannel;
    const message = await channel.messages.fetch(mention.id);
    const thread = await message.startThread({ name: "help", autoArchiveDuration: 1440 });
    expect(thread.id).toBe(mention.id);
    expect(thread.parentId).toBe(GENERAL.id);
    await thread.send({ content: "working on it", allowedMentions: NO_PINGS });
    expect(emulator.threads().map((t) => [t.id, t.parentId])).toEqual([[mention.id, GENERAL.id]]);
    expect(emulator.messages(mention.id).map((m) => m.content)).toEqual(["working on it"]);

    const followUp = new Promise<string>((resolve) =>
      client.once(Events.MessageCreate, (m) => resolve(m.channelId)),
    );
    emulator.userSends({ channel: thread.id, author: ALICE, content: "and more" });
    expect(await followUp).toBe(thread.id);
  });

  it("answers a command: defer, edit the original, follow up; a second callback is refused", async () => {
    await login(client, emulator);
    const arrived = nextInteraction();
    const delivery = await emulator.userRunsCommand({
      channel: GENERAL,
      author: MINJI,
      subcommand: "ask",
      options: { request: "plot it", format: "graph" },
    });
    const interaction = (await arrived) as ChatInputCommandInteraction;
    expect(interaction.id).toBe(delivery.id);
    expect(interaction.options.getSubcommand()).toBe("ask");
    expect(interaction.options.getString("format")).toBe("graph");
    expect(interaction.locale).toBe("ko");
    await interaction.deferReply();
    await interaction.editReply({ content: "step 1 done" });
    await interaction.followUp({
      content: "secret",
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    const view = emulator.interaction(delivery.id);
    expect(view?.callbacks.map((callback) => [callback.type, callback.status])).toEqual([[5, 204]]);
    expect(view?.original?.content).toBe("step 1 done");
    expect(view?.original?.flags).toBe(0);
    expect(view?.followUps.map((message) => [message.content, message.flags])).toEqual([["secret", 64]]);
    // discord.js refuses a second reply itself, so send one past it as a buggy bot would.
    await expect(
      client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: { type: 4, data: { content: "again", allowed_mentions: NO_PINGS } },
        auth: false,
      }),
    ).rejects.toMatchObject({ status: 400, code: 40060 });
    const refused = await emulator.waitForCall(
      "POST /interactions/:id/:token/callback",
      (call) => call.status !== 204,
    );
    expect(refused.response).toEqual({ code: 40060, message: "Interaction has already been acknowledged." });
  });

  it("POSTs a signed HTTP interaction that Node's crypto verifies, and records the body as the callback", async () => {
    const received: { verified: boolean; body: string }[] = [];
    const receiver: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const signature = String(request.headers["x-signature-ed25519"] ?? "");
        const timestamp = String(request.headers["x-signature-timestamp"] ?? "");
        const key = createPublicKey({
          key: {
            kty: "OKP",
            crv: "Ed25519",
            x: Buffer.from(emulator.publicKeyHex, "hex").toString("base64url"),
          },
          format: "jwk",
        });
        const verified =
          signature.length === 128 &&
          verify(null, Buffer.from(timestamp + body), key, Buffer.from(signature, "hex"));
        received.push({ verified, body });
        if (!verified) {
          response.writeHead(401).end("invalid request signature");
          return;
        }
        const interaction = JSON.parse(body) as { type: number };
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(interaction.type === 1 ? { type: 1 } : { type: 5 }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/discord/interactions`;
    try {
      expect(await emulator.sendPing(url)).toEqual({ status: 200, body: { type: 1 } });
      const delivery = await emulator.userRunsCommand({
        channel: GENERAL,
        author: ALICE,
        subcommand: "help",
        via: { url },
      });
      expect(delivery.status).toBe(200);
      const callback = await emulator.waitForCall("POST /interactions/:id/:token/callback");
      expect(callback).toMatchObject({ via: "http-response", status: 204, params: { id: delivery.id } });
      expect(emulator.interaction(delivery.id)?.original?.flags).toBe(128);
      expect((await emulator.sendPing(url, { signature: "bad" })).status).toBe(401);
      expect((await emulator.sendPing(url, { signature: "missing" })).status).toBe(401);
      expect(received.map((r) => r.verified)).toEqual([true, true, false, false]);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
