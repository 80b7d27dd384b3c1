import { createPublicKey, verify } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type Client,
  EmbedBuilder,
  Events,
  type Interaction,
  type Message,
  MessageFlags,
  MessageType,
  ModalBuilder,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  REST,
  Routes,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OCTO_COMMAND } from "../../../src/adapters/discord/command-definition.js";
import { destroyClient, discordClient, loginClient, NO_PINGS, TINY_PNG as PNG } from "./harness.js";
import { ALICE, DiscordEmulator, DMS, GENERAL, LOCKED, MINJI } from "./index.js";

describe("Discord emulator", () => {
  let emulator: DiscordEmulator;
  let client: Client;

  beforeEach(async () => {
    emulator = await DiscordEmulator.start();
    client = discordClient(emulator);
  });
  afterEach(async () => {
    await destroyClient(client);
    await emulator.close();
  });

  it("logs discord.js in: READY, then GUILD_CREATE fills the guild cache", async () => {
    await loginClient(client, emulator);
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
    await loginClient(client, emulator);
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
    await loginClient(client, emulator);
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

    const followUp = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
    emulator.userSends({
      channel: thread.id,
      author: ALICE,
      content: "and the data",
      attachments: [{ filename: "data.csv", contentType: "text/csv", data: "a,b\n1,2\n" }],
    });
    const received = await followUp;
    expect(received.channelId).toBe(thread.id);
    const csv = received.attachments.first();
    expect([csv?.name, csv?.contentType, csv?.size]).toEqual(["data.csv", "text/csv", 8]);
    expect(await (await fetch(csv?.url ?? "")).text()).toBe("a,b\n1,2\n");
  });

  it("answers a command: defer, edit the original, follow up; a second callback is refused", async () => {
    await loginClient(client, emulator);
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
    const deferred = await interaction.deferReply({ withResponse: true });
    expect(deferred.resource?.message?.flags?.has(MessageFlags.Loading)).toBe(true);
    await interaction.editReply({ content: "step 1 done" });
    expect(emulator.callsOf("PATCH /webhooks/:app/:token/messages/@original")).toHaveLength(1);
    await interaction.followUp({
      content: "secret",
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    const view = emulator.interaction(delivery.id);
    expect(view?.callbacks.map((callback) => [callback.type, callback.status])).toEqual([[5, 200]]);
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
      (call) => call.status === 400,
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

  it("fills a deferred reply's loading message with the first follow-up, as Discord does", async () => {
    await loginClient(client, emulator);
    const arrived = nextInteraction();
    const delivery = await emulator.userRunsCommand({
      channel: GENERAL,
      author: ALICE,
      subcommand: "history",
    });
    const interaction = (await arrived) as ChatInputCommandInteraction;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const first = await interaction.followUp({ content: "nothing yet", allowedMentions: NO_PINGS });
    const second = await interaction.followUp({ content: "really", allowedMentions: NO_PINGS });
    const view = emulator.interaction(delivery.id);
    expect(first.id).toBe(view?.original?.id);
    expect(view?.original).toMatchObject({ content: "nothing yet", flags: MessageFlags.Ephemeral });
    expect(view?.followUps.map((message) => [message.id, message.flags])).toEqual([[second.id, 0]]);
  });

  it("shows a modal from a button and takes its submission as an update of the card", async () => {
    await loginClient(client, emulator);
    const channel = client.channels.cache.get(GENERAL.id) as TextChannel;
    const card = await channel.send({
      content: "Approve the plan?",
      components: [
        new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId("octo:edit:42").setLabel("Edit").setStyle(ButtonStyle.Secondary),
        ),
      ],
      allowedMentions: NO_PINGS,
    });
    const clicked = nextInteraction();
    const click = await emulator.userClicks({ message: card.id, customId: "octo:edit:42", author: ALICE });
    const button = (await clicked) as ButtonInteraction;
    expect(button.customId).toBe("octo:edit:42");
    expect(button.message.id).toBe(card.id);
    await button.showModal(
      new ModalBuilder()
        .setCustomId("octo:edit-modal:42")
        .setTitle("Edit the task")
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId("task").setLabel("Task").setStyle(TextInputStyle.Paragraph),
          ),
        ),
    );
    expect(emulator.interaction(click.id)?.modal).toMatchObject({
      custom_id: "octo:edit-modal:42",
      title: "Edit the task",
    });

    const submitted = nextInteraction();
    const submit = await emulator.userSubmitsModal({
      customId: "octo:edit-modal:42",
      fields: { task: "a better plan" },
      author: ALICE,
      channel: GENERAL,
      message: card.id,
    });
    const modal = (await submitted) as ModalSubmitInteraction;
    expect(modal.fields.getTextInputValue("task")).toBe("a better plan");
    if (!modal.isFromMessage()) throw new Error("the submission should come from the card");
    await modal.update({ content: "Edited by Alice", components: [] });
    expect(emulator.interaction(submit.id)?.callbacks.map((callback) => callback.type)).toEqual([7]);
    expect(emulator.message(card.id)).toMatchObject({ content: "Edited by Alice", components: [] });
  });

  it("stores bulk-overwritten commands with stable ids and types the options from them", async () => {
    const rest = new REST({ api: emulator.apiUrl }).setToken(emulator.token);
    const route = Routes.applicationGuildCommands(emulator.applicationId, emulator.guildId);
    const first = (await rest.put(route, { body: [OCTO_COMMAND] })) as { id: string; name: string }[];
    const second = (await rest.put(route, { body: [OCTO_COMMAND] })) as { id: string }[];
    expect(second[0]?.id).toBe(first[0]?.id);
    expect(emulator.commands(emulator.guildId).map((command) => command.name)).toEqual(["octo"]);
    expect(emulator.commands()).toEqual([]);
    expect(await rest.get(route)).toEqual(emulator.commands(emulator.guildId));
    await expect(
      rest.put(Routes.applicationCommands(emulator.applicationId), {
        body: [{ name: "Bad Name", description: "x" }],
      }),
    ).rejects.toMatchObject({ status: 400, code: 50035 });

    await loginClient(client, emulator);
    const arrived = nextInteraction();
    await emulator.userRunsCommand({
      channel: GENERAL,
      author: ALICE,
      subcommand: "rewind",
      options: { n: 2 },
    });
    const rewind = (await arrived) as ChatInputCommandInteraction;
    expect(rewind.commandId).toBe(first[0]?.id);
    expect(rewind.options.getInteger("n")).toBe(2);
  });

  it("refuses posts and threads where the bot lacks permission with 403 50013", async () => {
    await loginClient(client, emulator);
    const locked = client.channels.cache.get(LOCKED.id) as TextChannel;
    const me = locked.guild.members.me;
    expect(me && locked.permissionsFor(me).has(PermissionFlagsBits.SendMessages)).toBe(false);
    await expect(locked.send({ content: "hi", allowedMentions: NO_PINGS })).rejects.toMatchObject({
      status: 403,
      code: 50013,
    });
    const question = emulator.userSends({
      channel: LOCKED,
      author: ALICE,
      content: "hello?",
      mentionBot: true,
    });
    await expect(locked.threads.create({ name: "x", startMessage: question.id })).rejects.toMatchObject({
      code: 50013,
    });

    const general = client.channels.cache.get(GENERAL.id) as TextChannel;
    const updated = new Promise((resolve) => client.once(Events.ChannelUpdate, resolve));
    emulator.setChannelPermissions(GENERAL, { createThreads: false });
    await updated;
    expect(me && general.permissionsFor(me).has(PermissionFlagsBits.CreatePublicThreads)).toBe(false);
    const mention = emulator.userSends({
      channel: GENERAL,
      author: ALICE,
      content: "thread?",
      mentionBot: true,
    });
    await expect(general.threads.create({ name: "x", startMessage: mention.id })).rejects.toMatchObject({
      code: 50013,
    });
    await expect(
      general.send({ content: "still allowed", allowedMentions: NO_PINGS }),
    ).resolves.toBeDefined();
  });

  it("answers 429 with retry_after; discord.js waits it out and retries once", async () => {
    await loginClient(client, emulator);
    const limited: number[] = [];
    client.rest.on("rateLimited", (info) => limited.push(info.retryAfter));
    emulator.failNext("POST /channels/:id/messages", { status: 429, retryAfter: 0.3 });
    const channel = client.channels.cache.get(GENERAL.id) as TextChannel;
    await channel.send({ content: "after the wait", allowedMentions: NO_PINGS });
    const calls = emulator.callsOf("POST /channels/:id/messages");
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    // @discordjs/rest adds its safety offset to retry_after.
    expect(limited).toHaveLength(1);
    expect(limited[0]).toBeGreaterThanOrEqual(300);
    // The client slept for retry_after instead of retrying at once.
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(250);
    expect(emulator.messages(GENERAL).map((message) => message.content)).toEqual(["after the wait"]);
  });

  it("delivers DMs, other bots' posts, system messages and edits with the fields that tell them apart", async () => {
    await loginClient(client, emulator);
    const seen: { type: number; bot: boolean; dm: boolean; content: string }[] = [];
    client.on(Events.MessageCreate, (message) =>
      seen.push({
        type: message.type,
        bot: message.author.bot,
        dm: message.channel.isDMBased(),
        content: message.content,
      }),
    );
    const edits: string[] = [];
    client.on(Events.MessageUpdate, (_old, message) => edits.push(message.content ?? ""));
    emulator.userSends({ channel: DMS.alice, author: ALICE, content: "psst" });
    emulator.botSends({ channel: GENERAL, content: "beep" });
    emulator.systemMessage({ channel: GENERAL });
    const original = emulator.userSends({ channel: GENERAL, author: ALICE, content: "typo" });
    emulator.editMessage({ message: original, content: "fixed" });
    await vi.waitFor(() => expect(edits).toEqual(["fixed"]));
    expect(seen).toEqual([
      { type: MessageType.Default, bot: false, dm: true, content: "psst" },
      { type: MessageType.Default, bot: true, dm: false, content: "beep" },
      { type: MessageType.UserJoin, bot: false, dm: false, content: "" },
      { type: MessageType.Default, bot: false, dm: false, content: "typo" },
    ]);
    const dm = await client.channels.fetch(DMS.alice.id);
    if (!dm?.isSendable()) throw new Error("the DM should be sendable");
    await dm.send({ content: "hello back", allowedMentions: NO_PINGS });
    expect(emulator.messages(DMS.alice).map((message) => message.content)).toEqual(["psst", "hello back"]);
  });
});

describe("Discord emulator: interaction deadlines", () => {
  let emulator: DiscordEmulator;
  let client: Client;

  beforeEach(async () => {
    emulator = await DiscordEmulator.start({ interactionAckDeadlineMs: 100, interactionTokenTtlMs: 300 });
    client = discordClient(emulator);
    await loginClient(client, emulator);
  });
  afterEach(async () => {
    await destroyClient(client);
    await emulator.close();
  });

  async function command(): Promise<ChatInputCommandInteraction> {
    const arrived = new Promise<Interaction>((resolve) => client.once(Events.InteractionCreate, resolve));
    await emulator.userRunsCommand({ channel: GENERAL, author: ALICE, subcommand: "help" });
    return (await arrived) as ChatInputCommandInteraction;
  }

  it("refuses a first response after the acknowledgement deadline with 10062", async () => {
    const late = await command();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(late.deferReply()).rejects.toMatchObject({ status: 404, code: 10062 });
  });

  it("refuses webhook edits once the interaction token expired with 50027", async () => {
    const interaction = await command();
    await interaction.deferReply();
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(interaction.editReply({ content: "too late" })).rejects.toMatchObject({
      status: 401,
      code: 50027,
    });
  });
});
