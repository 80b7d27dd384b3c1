import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseBody, readRaw } from "./body.js";
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
import {
  buildInteraction,
  commandData,
  componentType,
  INTERACTION_TYPE,
  modalData,
  type OptionValue,
} from "./interaction-payloads.js";
import { type EmulatedInteraction, InteractionStore } from "./interactions.js";
import { editMessage as applyEdit, attachmentUrl, mentionsIn } from "./messages.js";
import { apiChannel, apiGuild, apiMessage, apiUser } from "./objects.js";
import { type Recorded, Recorder } from "./recorder.js";
import { matchRoute, type RestHost } from "./rest.js";
import { InteractionSigner, type SigningOptions, signedHeaders } from "./signing.js";
import {
  type ChannelPermissions,
  DiscordWorld,
  type EmulatedAttachment,
  type EmulatedChannel,
  type EmulatedMessage,
  type StoredCommand,
} from "./state.js";
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
export interface DiscordEmulatorOptions {
  /** The bot token the emulator accepts (REST `Authorization: Bot …` and gateway IDENTIFY). */
  token?: string;
  /** op 10 HELLO's heartbeat_interval (Discord: 41250 ms). */
  heartbeatIntervalMs?: number;
  /** Lifetime of interaction tokens for webhook edits and follow-ups (Discord: 15 min). */
  interactionTokenTtlMs?: number;
  /** Time allowed for an interaction's initial response (Discord: 3 s). */
  interactionAckDeadlineMs?: number;
  /** The project rule that every message the bot creates sets allowed_mentions without parse (default on). */
  requireAllowedMentions?: boolean;
  /** Whether the Message Content intent is enabled in the portal: IDENTIFY asking for it otherwise closes 4014. */
  messageContentIntentAllowed?: boolean;
  /** How long an HTTP interaction delivery waits for the bot's answer (default 10 s). */
  httpTimeoutMs?: number;
}

/** One REST call the emulator answered. */
export interface RecordedCall extends Recorded {
  method: string;
  /** `POST /channels/:id/messages` (method + template): what waits and faults name. */
  route: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The JSON body (payload_json for multipart; `_array` holds a top-level array). */
  body: Record<string, unknown>;
  files: UploadedFile[];
  /** Which credential came with it; tokens themselves are not kept. */
  auth: "bot" | "none" | "invalid";
  status: number;
  response: unknown;
  /** `http-response`: an HTTP interaction's answer, recorded as its callback. */
  via: "rest" | "http-response";
}

export type UserRef = string | { id: string };
export type ChannelRef = string | { id: string };
export type MessageRef = string | { id: string };

export interface UploadInput {
  filename: string;
  contentType?: string;
  data: Buffer | string;
}

export interface UserMessageInput {
  channel: ChannelRef;
  author: UserRef;
  content?: string;
  /** Prefixes `<@bot> ` to the content. */
  mentionBot?: boolean;
  attachments?: UploadInput[];
  /** A reply to this message. */
  reference?: MessageRef;
}

/** How an interaction reaches the bot: over the gateway, or POSTed (signed) to its HTTP endpoint. */
export type InteractionVia = "gateway" | ({ url: string } & SigningOptions);

export interface InteractionDelivery {
  id: string;
  token: string;
  payload: Record<string, unknown>;
  /** Gateway: sessions that received it now (0: none connected; buffered or lost). */
  delivered?: number;
  /** HTTP: the endpoint's status and parsed body (its initial response). */
  status?: number;
  body?: unknown;
}

export interface CommandInput {
  channel: ChannelRef;
  author: UserRef;
  /** Default "octo". */
  name?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  locale?: string;
  via?: InteractionVia;
}

export interface ClickInput {
  message: MessageRef;
  customId: string;
  author: UserRef;
  /** For select menus. */
  values?: string[];
  locale?: string;
  via?: InteractionVia;
}

export interface ModalInput {
  customId: string;
  fields: Record<string, string>;
  author: UserRef;
  channel: ChannelRef;
  /** The message whose component opened the modal, when it came from a click. */
  message?: MessageRef;
  locale?: string;
  via?: InteractionVia;
}

/** An interaction as a test reads it back. */
export interface InteractionView {
  interaction: EmulatedInteraction;
  callbacks: EmulatedInteraction["callbacks"];
  original: EmulatedMessage | undefined;
  followUps: EmulatedMessage[];
  modal: unknown;
}

const idOf = (ref: string | { id: string }): string => (typeof ref === "string" ? ref : ref.id);

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
      readyPayload: (sessionId, resumeUrl, shard) => this.readyPayload(sessionId, resumeUrl, shard),
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
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
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
    const channelId = idOf(input.channel);
    const channel = this.requireChannel(channelId);
    const content = `${input.mentionBot ? `<@${this.botUserId}> ` : ""}${input.content ?? ""}`;
    const named = mentionsIn(content);
    const reference = input.reference ? this.world.message(idOf(input.reference)) : undefined;
    const message = this.world.addMessage({
      id: this.world.nextId(),
      channelId,
      guildId: channel.guildId,
      authorId: idOf(input.author),
      type: reference ? 19 : 0,
      content,
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      mentions: named.users,
      mentionRoles: named.roles,
      mentionEveryone: named.everyone,
      allowedMentions: undefined,
      reference: reference
        ? {
            message_id: reference.id,
            channel_id: reference.channelId,
            ...(reference.guildId ? { guild_id: reference.guildId } : {}),
          }
        : undefined,
      webhookId: undefined,
      interactionId: undefined,
      threadId: undefined,
      createdAt: Date.now(),
      editedAt: undefined,
      revisions: [],
    });
    message.attachments = (input.attachments ?? []).map((upload) => this.storeUpload(channelId, upload));
    for (const attachment of message.attachments) this.world.attachments.set(attachment.id, attachment);
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
    const message = this.userSends({
      channel: input.channel,
      author: input.author ?? ALICE,
      content: input.content ?? "",
    });
    message.type = input.type ?? 7;
    // The dispatch already went out with type 0: send the corrected object as Discord would have.
    this.dispatchMessage("MESSAGE_UPDATE", message);
    return message;
  }

  /** A person edits their message (MESSAGE_UPDATE), which must not start another run. */
  editMessage(input: { message: MessageRef; content: string }): EmulatedMessage {
    const message = this.requireMessage(idOf(input.message));
    applyEdit(this.world, this.origin, message, { content: input.content }, []);
    const named = mentionsIn(message.content);
    message.mentions = named.users;
    message.mentionRoles = named.roles;
    message.mentionEveryone = named.everyone;
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

  private readyPayload(
    sessionId: string,
    resumeUrl: string,
    shard: [number, number],
  ): Record<string, unknown> {
    const bot = this.world.user(this.botUserId);
    return {
      v: 10,
      user_settings: {},
      user: bot ? { ...apiUser(bot), verified: true, mfa_enabled: false } : {},
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: sessionId,
      session_type: "normal",
      resume_gateway_url: resumeUrl,
      shard,
      application: { id: this.applicationId, flags: 1 << 19 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ["emulator"],
    };
  }

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
    const { status, body } = await this.postInteraction(built.id, built.token, built.payload, via);
    return { ...built, status, body };
  }

  /** POSTs a signed interaction and takes the response body as its initial response. */
  private async postInteraction(
    id: string,
    token: string,
    payload: Record<string, unknown>,
    via: { url: string } & SigningOptions,
  ): Promise<{ status: number; body: unknown }> {
    const text = JSON.stringify(payload);
    const response = await fetch(via.url, {
      method: "POST",
      headers: signedHeaders(this.signer, text, via),
      body: text,
      signal: AbortSignal.timeout(this.httpTimeoutMs),
    });
    const raw = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !(type.startsWith("application/json") || type.startsWith("multipart/form-data"))) {
      return { status: response.status, body: raw.toString("utf8") };
    }
    const parsed = await parseBody(type, raw);
    if (payload.type !== INTERACTION_TYPE.ping) {
      const reply = this.interactions.respond(id, token, parsed.json, parsed.files, "http-response");
      this.calls.record({
        method: "POST",
        route: "POST /interactions/:id/:token/callback",
        path: `/interactions/${id}/[token]/callback`,
        params: { id },
        query: {},
        body: parsed.json,
        files: parsed.files,
        auth: "none",
        status: reply.status,
        response: reply.body ?? null,
        via: "http-response",
      });
    }
    return { status: response.status, body: parsed.malformed ? raw.toString("utf8") : parsed.json };
  }

  private storeUpload(channelId: string, upload: UploadInput): EmulatedAttachment {
    const id = this.world.nextId();
    const data = Buffer.isBuffer(upload.data) ? upload.data : Buffer.from(upload.data, "utf8");
    return {
      id,
      filename: upload.filename,
      contentType: upload.contentType,
      size: data.length,
      data,
      description: undefined,
      url: attachmentUrl(this.origin, channelId, id, upload.filename),
    };
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

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.origin);
    const method = request.method ?? "GET";
    const raw = await readRaw(request);
    if (method === "GET" && url.pathname.startsWith("/attachments/"))
      return this.serveAttachment(url, response);
    const apiPath = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname)?.[1];
    const matched = apiPath ? matchRoute(method, apiPath) : undefined;
    const header = request.headers.authorization;
    const auth: RecordedCall["auth"] = !header ? "none" : header === `Bot ${this.token}` ? "bot" : "invalid";
    const parsed = await parseBody(request.headers["content-type"] ?? "", raw);
    const record = (route: string, status: number, body: unknown) =>
      this.calls.record({
        method,
        route,
        path: apiPath ?? url.pathname,
        params: matched?.params ?? {},
        query: Object.fromEntries(url.searchParams),
        body: parsed.json,
        files: parsed.files,
        auth,
        status,
        response: body ?? null,
        via: "rest",
      });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (status === 204 || body === undefined) {
        response.writeHead(status, headers);
        response.end();
        return;
      }
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(body));
    };
    if (!matched) {
      const body = { code: 0, message: "404: Not Found" };
      record(`${method} ${apiPath ?? url.pathname}`, 404, body);
      return send(404, body);
    }
    const routeName = `${method} ${matched.route.template}`;
    if (matched.route.auth === "bot" && auth !== "bot") {
      const body = { code: 0, message: "401: Unauthorized" };
      record(routeName, 401, body);
      return send(401, body);
    }
    const fault = this.faults.take(routeName);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault && !fault.passThrough) {
      record(routeName, fault.status, fault.body);
      return send(fault.status, fault.body, fault.headers);
    }
    if (parsed.malformed) {
      const body = { code: 50109, message: "The request body contains invalid JSON." };
      record(routeName, 400, body);
      return send(400, body);
    }
    const reply = matched.route.handle(this.rest, {
      method,
      params: matched.params,
      query: url.searchParams,
      body: parsed.json,
      files: parsed.files,
    });
    record(routeName, reply.status, reply.body);
    send(reply.status, reply.body);
  }

  private serveAttachment(url: URL, response: ServerResponse): void {
    const [, , channelId, id] = url.pathname.split("/");
    const attachment = id ? this.world.attachments.get(id) : undefined;
    const found = attachment !== undefined && url.pathname.startsWith(`/attachments/${channelId}/${id}/`);
    this.calls.record({
      method: "GET",
      route: "GET /attachments/:channel/:id/:filename",
      path: url.pathname,
      params: { channel: channelId ?? "", id: id ?? "" },
      query: {},
      body: {},
      files: [],
      auth: "none",
      status: found ? 200 : 404,
      response: null,
      via: "rest",
    });
    if (!found || !attachment) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("Not Found");
      return;
    }
    response.writeHead(200, {
      "content-type": attachment.contentType ?? "application/octet-stream",
      "content-length": String(attachment.size),
    });
    response.end(attachment.data);
  }
}
