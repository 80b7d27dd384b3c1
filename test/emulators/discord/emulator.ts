import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultPlan, type FaultSpec } from "./faults.js";
import {
  ALICE,
  APPLICATION_ID,
  BOT_USER_ID,
  DMS,
  GENERAL,
  GUILD_ID,
  LOCKED,
  OTHER_BOT,
  RANDOM,
} from "./fixtures.js";
import { type GatewayDrop, type GatewayFrame, GatewayServer, INTENT } from "./gateway.js";
import { HttpFront } from "./http-front.js";
import { postInteraction } from "./http-interactions.js";
import {
  buildInteraction,
  commandData,
  componentType,
  INTERACTION_TYPE,
  modalData,
} from "./interaction-payloads.js";
import { InteractionStore } from "./interactions.js";
import { editMessage as applyEdit, createMessage } from "./messages.js";
import { apiChannel, apiGuild, apiMessage, apiReady } from "./objects.js";
import { Recorder } from "./recorder.js";
import type { RestHost } from "./rest.js";
import { InteractionSigner, type SigningOptions } from "./signing.js";
import {
  type ChannelPermissions,
  DiscordWorld,
  type EmulatedChannel,
  type EmulatedMessage,
  type StoredCommand,
} from "./state.js";
import type {
  ChannelRef,
  ClickInput,
  CommandInput,
  DiscordEmulatorOptions,
  InteractionDelivery,
  InteractionVia,
  InteractionView,
  MessageRef,
  ModalInput,
  RecordedCall,
  UploadInput,
  UserMessageInput,
  UserRef,
} from "./types.js";
import type { UploadedFile } from "./validation.js";

/**
 * A local Discord for tests and benchmarks: REST under `/api` (discord.js adds `/v10`), the gateway
 * WebSocket, attachment downloads and signed HTTP interactions, all on 127.0.0.1 with a random port. The
 * real discord.js client talks to it through `apiUrl`; nothing leaves the machine.
 *
 * Tests act as people (`userSends`, `userRunsCommand`, `userClicks`, `userSubmitsModal`), read what a
 * person would see (`messages`, `threads`, `interaction`), wait on what the bot did (`waitForCall`,
 * `waitForGateway`) and break things (`failNext`, `dropGateway`, `setChannelPermissions`).
 */
const idOf = (ref: string | { id: string }): string => (typeof ref === "string" ? ref : ref.id);

function uploadOf(upload: UploadInput, index: number): UploadedFile {
  const data = Buffer.isBuffer(upload.data) ? upload.data : Buffer.from(upload.data, "utf8");
  return {
    field: `files[${index}]`,
    index,
    filename: upload.filename,
    contentType: upload.contentType,
    size: data.length,
    data,
  };
}

export class DiscordEmulator {
  readonly token: string;
  readonly world = new DiscordWorld();
  readonly calls = new Recorder<RecordedCall>(
    (call) => call.route,
    (call) => `${call.route}${call.status >= 300 ? ` ${call.status}` : ""}`,
    "REST call",
  );
  readonly faults = new FaultPlan();
  readonly gateway: GatewayServer;
  readonly interactions: InteractionStore;
  readonly applicationId = APPLICATION_ID;
  readonly botUserId = BOT_USER_ID;
  readonly guildId = GUILD_ID;
  readonly channels = { general: GENERAL.id, random: RANDOM.id, locked: LOCKED.id } as const;
  readonly dms = { alice: DMS.alice.id, bob: DMS.bob.id, boss: DMS.boss.id, minji: DMS.minji.id } as const;
  private readonly signer = new InteractionSigner();
  private readonly server: Server;
  private readonly rest: RestHost;
  private readonly httpTimeoutMs: number;
  private origin = "";

  private constructor(options: DiscordEmulatorOptions) {
    this.token = options.token ?? "emulator.bot.token-0000";
    const messageContentIntentAllowed = options.messageContentIntentAllowed ?? true;
    const requireAllowedMentions = options.requireAllowedMentions ?? true;
    this.httpTimeoutMs = options.httpTimeoutMs ?? 10_000;
    this.gateway = new GatewayServer({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      messageContentIntentAllowed,
      origin: () => this.origin,
      readyPayload: (sessionId, resumeUrl, shard) => apiReady(this.world, sessionId, resumeUrl, shard),
      guildCreates: () => [apiGuild(this.world)],
    });
    const created = (message: EmulatedMessage) => this.dispatchMessage("MESSAGE_CREATE", message);
    const updated = (message: EmulatedMessage) => this.dispatchMessage("MESSAGE_UPDATE", message);
    this.interactions = new InteractionStore({
      world: this.world,
      origin: () => this.origin,
      requireAllowedMentions,
      ackDeadlineMs: options.interactionAckDeadlineMs ?? 3_000,
      tokenTtlMs: options.interactionTokenTtlMs ?? 15 * 60_000,
      created,
      updated,
    });
    this.rest = {
      world: this.world,
      gateway: this.gateway,
      interactions: this.interactions,
      origin: () => this.origin,
      requireAllowedMentions,
      publicKeyHex: this.signer.publicKeyHex,
      messageContentIntentAllowed,
      created,
      updated,
    };
    const front = new HttpFront({
      token: this.token,
      calls: this.calls,
      faults: this.faults,
      rest: this.rest,
    });
    this.server = createServer((request, response) => {
      front.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ code: 0, message: `emulator error: ${String(error)}` }));
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on("upgrade", (request, socket, head) => {
      const url = new URL(request.url ?? "/", "http://emulator");
      if (this.gateway.handles(url.pathname)) this.gateway.handleUpgrade(request, socket, head);
      else socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
    });
  }

  static async start(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
    const emulator = new DiscordEmulator(options);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once("error", reject);
      emulator.server.listen({ host: "127.0.0.1", port: 0 }, () => resolve());
    });
    const { port } = emulator.server.address() as AddressInfo;
    emulator.origin = `http://127.0.0.1:${port}`;
    return emulator;
  }

  /** The value for DISCORD_API_URL and discord.js's `rest.api` (no version: discord.js appends `/v10`). */
  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  get baseUrl(): string {
    return this.origin;
  }

  /** The value for DISCORD_PUBLIC_KEY: the key HTTP interactions are signed with, 64 hex characters. */
  get publicKeyHex(): string {
    return this.signer.publicKeyHex;
  }

  // ---- acting as people -------------------------------------------------------------------------

  /** A person posts a message (MESSAGE_CREATE); attachments are served at `${baseUrl}/attachments/…`. */
  userSends(input: UserMessageInput): EmulatedMessage {
    return this.postAsPerson(input, undefined);
  }

  private postAsPerson(input: UserMessageInput, type: number | undefined): EmulatedMessage {
    const channelId = idOf(input.channel);
    this.requireChannel(channelId);
    const reference = input.reference ? this.requireMessage(idOf(input.reference)) : undefined;
    // A person's message is stored like the bot's, without allowed_mentions: everything it names pings.
    const message = createMessage(this.world, this.origin, {
      channelId,
      authorId: idOf(input.author),
      body: {
        content: `${input.mentionBot ? `<@${this.botUserId}> ` : ""}${input.content ?? ""}`,
        ...(reference ? { message_reference: { message_id: reference.id } } : {}),
      },
      files: (input.attachments ?? []).map(uploadOf),
      type,
    });
    this.dispatchMessage("MESSAGE_CREATE", message);
    return message;
  }

  /** Another application's bot posts (default OTHER_BOT): the bot must ignore it. */
  botSends(input: Omit<UserMessageInput, "author"> & { author?: UserRef }): EmulatedMessage {
    return this.userSends({ ...input, author: input.author ?? OTHER_BOT });
  }

  /** A system message (default type 7, "member joined"), which never starts a run. */
  systemMessage(input: {
    channel: ChannelRef;
    type?: number;
    author?: UserRef;
    content?: string;
  }): EmulatedMessage {
    return this.postAsPerson(
      { channel: input.channel, author: input.author ?? ALICE, content: input.content ?? "" },
      input.type ?? 7,
    );
  }

  /** A person edits their message (MESSAGE_UPDATE), which must not start another run. */
  editMessage(input: { message: MessageRef; content: string }): EmulatedMessage {
    const message = this.requireMessage(idOf(input.message));
    applyEdit(this.world, this.origin, message, { content: input.content }, []);
    this.dispatchMessage("MESSAGE_UPDATE", message);
    return message;
  }

  /** A person runs `/octo <subcommand> …` (APPLICATION_COMMAND), over the gateway or signed HTTP. */
  userRunsCommand(input: CommandInput): Promise<InteractionDelivery> {
    const channelId = idOf(input.channel);
    const channel = this.requireChannel(channelId);
    const data = commandData(
      this.world,
      input.name ?? "octo",
      input.subcommand,
      input.options ?? {},
      channel.guildId,
    );
    return this.deliver(
      {
        type: INTERACTION_TYPE.applicationCommand,
        channelId,
        userId: idOf(input.author),
        locale: input.locale,
        data,
      },
      input.via,
    );
  }

  /** A person clicks a button (or picks from a select) on one of the bot's messages (MESSAGE_COMPONENT). */
  userClicks(input: ClickInput): Promise<InteractionDelivery> {
    const message = this.requireMessage(idOf(input.message));
    const data: Record<string, unknown> = {
      custom_id: input.customId,
      component_type: componentType(message, input.customId) ?? 2,
    };
    if (input.values) data.values = input.values;
    return this.deliver(
      {
        type: INTERACTION_TYPE.messageComponent,
        channelId: message.channelId,
        userId: idOf(input.author),
        locale: input.locale,
        data,
        message,
      },
      input.via,
    );
  }

  /** A person submits a modal the bot showed (MODAL_SUBMIT), one text input per field. */
  userSubmitsModal(input: ModalInput): Promise<InteractionDelivery> {
    const message = input.message ? this.requireMessage(idOf(input.message)) : undefined;
    return this.deliver(
      {
        type: INTERACTION_TYPE.modalSubmit,
        channelId: idOf(input.channel),
        userId: idOf(input.author),
        locale: input.locale,
        data: modalData(input.customId, input.fields),
        message,
      },
      input.via,
    );
  }

  /** Discord's endpoint check: a signed PING (type 1), which must be answered `{type: 1}`. */
  async sendPing(url: string, signing: SigningOptions = {}): Promise<{ status: number; body: unknown }> {
    const delivery = await this.deliver(
      { type: INTERACTION_TYPE.ping, channelId: undefined, userId: undefined },
      { url, ...signing },
    );
    return { status: delivery.status ?? 0, body: delivery.body };
  }

  // ---- observing --------------------------------------------------------------------------------

  /** The `nth` REST call on `route` (e.g. `POST /channels/:id/messages`) matching `predicate`, waiting if need be. */
  waitForCall(
    route: string,
    predicate?: (call: RecordedCall) => boolean,
    options?: { nth?: number; timeoutMs?: number },
  ): Promise<RecordedCall> {
    return this.calls.waitFor(route, predicate, options);
  }

  callsOf(route: string, predicate?: (call: RecordedCall) => boolean): RecordedCall[] {
    return this.calls.of(route, predicate);
  }

  /** Frames the bot sent on the gateway (IDENTIFY, RESUME, HEARTBEAT …), tokens redacted. */
  get gatewayFrames(): GatewayFrame[] {
    return this.gateway.frames.entries;
  }

  waitForGateway(
    name: string,
    predicate?: (frame: GatewayFrame) => boolean,
    options?: { nth?: number; timeoutMs?: number },
  ): Promise<GatewayFrame> {
    return this.gateway.frames.waitFor(name, predicate, options);
  }

  /** Resolves once the bot has a connected, READY (or RESUMED) gateway session. */
  waitForConnection(timeoutMs?: number): Promise<unknown> {
    return this.gateway.waitForConnection(timeoutMs);
  }

  /** A channel's or thread's messages as they now stand (edits applied), oldest first, ephemerals included. */
  messages(channel: ChannelRef): EmulatedMessage[] {
    return this.world.messages(idOf(channel));
  }

  message(id: string): EmulatedMessage | undefined {
    return this.world.message(id);
  }

  threads(): EmulatedChannel[] {
    return this.world.threads();
  }

  channel(id: string): EmulatedChannel | undefined {
    return this.world.channel(id);
  }

  interaction(id: string): InteractionView | undefined {
    const interaction = this.interactions.get(id);
    if (!interaction) return undefined;
    const original = interaction.originalMessageId
      ? this.world.message(interaction.originalMessageId)
      : undefined;
    return {
      interaction,
      callbacks: interaction.callbacks,
      original,
      followUps: interaction.followUpIds
        .flatMap((messageId) => this.world.message(messageId) ?? [])
        .filter((message) => message !== original),
      modal: interaction.modal,
    };
  }

  /** Registered application commands: global, or those of one guild. */
  commands(guild?: string): StoredCommand[] {
    return this.world.commands.get(guild ?? "global") ?? [];
  }

  // ---- faults -----------------------------------------------------------------------------------

  /** The next call(s) on `route` fail as `spec` says (429 carries retry_after and X-RateLimit-* headers). */
  failNext(route: string, spec: FaultSpec): void {
    this.faults.add(route, spec);
  }

  /** Breaks the gateway connection(s); discord.js resumes on `resume_gateway_url`. See GatewayServer.drop. */
  dropGateway(options?: { code?: number; abrupt?: boolean; holdResume?: boolean }): Promise<GatewayDrop> {
    return this.gateway.drop(options);
  }

  /** op 7 RECONNECT. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** op 9 INVALID_SESSION. */
  invalidateSession(resumable = false): void {
    this.gateway.invalidateSessions(resumable);
  }

  /** What the bot may do in a guild text channel (its threads follow); announced as CHANNEL_UPDATE. */
  setChannelPermissions(channel: ChannelRef, permissions: Partial<ChannelPermissions>): void {
    const target = this.requireChannel(idOf(channel));
    Object.assign(target.botPermissions, permissions);
    this.gateway.dispatch("CHANNEL_UPDATE", apiChannel(this.world, target), { intent: INTENT.guilds });
  }

  /** Forgets calls, messages, threads, interactions, commands and faults; fixtures and sessions stay. */
  reset(): void {
    this.calls.clear();
    this.faults.clear();
    this.world.reset();
    this.interactions.clear();
    this.gateway.reset();
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- internals --------------------------------------------------------------------------------

  private dispatchMessage(t: "MESSAGE_CREATE" | "MESSAGE_UPDATE", message: EmulatedMessage): void {
    const d = apiMessage(this.world, message, true);
    const channel = this.world.channel(message.channelId);
    const intent = channel?.guildId ? INTENT.guildMessages : INTENT.directMessages;
    // Without the Message Content intent Discord blanks content except in DMs, mentions of the bot and its own messages.
    const keepsContent =
      !channel?.guildId || message.authorId === this.botUserId || message.mentions.includes(this.botUserId);
    const withoutContent = keepsContent
      ? undefined
      : { ...d, content: "", embeds: [], attachments: [], components: [] };
    this.gateway.dispatch(t, d, { intent, withoutContent });
  }

  private async deliver(
    context: Parameters<typeof buildInteraction>[1],
    via: InteractionVia | undefined,
  ): Promise<InteractionDelivery> {
    const built = buildInteraction(this.world, context);
    this.interactions.add({
      id: built.id,
      token: built.token,
      type: context.type,
      channelId: context.channelId,
      userId: context.userId,
      createdAt: Date.now(),
      deliveredVia: via === undefined || via === "gateway" ? "gateway" : "http",
      payload: built.payload,
      sourceMessageId: context.message?.id,
    });
    if (via === undefined || via === "gateway") {
      const delivered = this.gateway.dispatch("INTERACTION_CREATE", built.payload);
      return { ...built, delivered };
    }
    const { status, body } = await postInteraction(
      {
        signer: this.signer,
        interactions: this.interactions,
        calls: this.calls,
        timeoutMs: this.httpTimeoutMs,
      },
      built,
      via,
    );
    return { ...built, status, body };
  }

  private requireChannel(id: string): EmulatedChannel {
    const channel = this.world.channel(id);
    if (!channel) throw new Error(`the emulator has no channel ${id}`);
    return channel;
  }

  private requireMessage(id: string): EmulatedMessage {
    const message = this.world.message(id);
    if (!message) throw new Error(`the emulator has no message ${id}`);
    return message;
  }
}
