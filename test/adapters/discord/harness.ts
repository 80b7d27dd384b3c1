import { INTERACTIONS_PATH } from "../../../src/adapters/discord/http-interactions.js";
import {
  createDiscordAdapter,
  type DiscordAdapter,
  type DiscordAdapterOptions,
} from "../../../src/adapters/discord/index.js";
import { HttpHost } from "../../../src/adapters/http/index.js";
import { type Config, loadConfig } from "../../../src/config.js";
import {
  type ConversationService,
  type DeliveryLedger,
  storeLedger,
} from "../../../src/conversations/index.js";
import type { Logger } from "../../../src/log.js";
import type { JobQueue } from "../../../src/store/index.js";
import {
  ALICE,
  BOSS,
  BOT_USER_ID,
  DiscordEmulator,
  type DiscordEmulatorOptions,
  type EmulatedMessage,
  GENERAL,
} from "../../emulators/discord/index.js";
import { openTestStore, type TestStore } from "../../support/databases.js";
import { contractChecked } from "../../support/events.js";
import { capturingLogger, type LogLine } from "../../support/logs.js";
import { createTestService, type TestServiceOptions } from "../../support/service.js";

/**
 * One Discord conversation stack for a test: the emulator (REST and gateway), a store (Postgres when it
 * answers, else PGlite), the real ConversationService with the scripted model, and the real
 * discord.js-based adapter reaching the emulator through DISCORD_API_URL.
 */
export const FAST: DiscordAdapterOptions = {
  progressIntervalMs: 20,
  stopGraceMs: 5_000,
  destroyTimeoutMs: 2_000,
  loginTimeoutMs: 10_000,
  rest: { retries: 1, timeout: 5_000 },
};

export interface HarnessOptions {
  service?: TestServiceOptions;
  emulator?: DiscordEmulatorOptions;
  adapter?: DiscordAdapterOptions;
  /** OCTO_APPROVERS for both the adapter and the service (default: BOSS's user id). */
  approvers?: string[];
  env?: NodeJS.ProcessEnv;
  /** The job queue of each service booted (default: the in-process one on the harness's store). */
  queue?: (store: TestStore) => Promise<JobQueue>;
  /**
   * Serve interactions over HTTP too: a process HTTP server on 127.0.0.1 and DISCORD_PUBLIC_KEY, so the
   * adapter mounts `POST /discord/interactions` (`interactionsUrl`).
   */
  http?: boolean;
}

export class DiscordHarness {
  readonly logs: LogLine[] = [];
  readonly contractBreaks: Error[] = [];
  service!: ConversationService;
  ledger!: DeliveryLedger;
  adapter!: DiscordAdapter;
  config!: Config;
  private host: HttpHost | undefined;

  private constructor(
    readonly emulator: DiscordEmulator,
    readonly store: TestStore,
    private readonly options: HarnessOptions,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<DiscordHarness> {
    const emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 5_000, ...options.emulator });
    const store = await openTestStore("postgres");
    const harness = new DiscordHarness(emulator, store, options);
    try {
      await harness.boot();
    } catch (error) {
      await harness.close().catch(() => undefined);
      throw error;
    }
    return harness;
  }

  get logger(): Logger {
    return capturingLogger(this.logs);
  }

  /** A new service and adapter on the same database: what a process restart does. */
  async restart(): Promise<void> {
    await this.service.close();
    await this.adapter.stop();
    await this.host?.close();
    await this.boot();
  }

  idle(): Promise<void> {
    return this.adapter.idle();
  }

  /**
   * Waits for an interaction delivered over the gateway to get its first response, then for the work
   * it started: the gateway hands it over asynchronously, so `idle` alone could come too early.
   */
  async settled(delivery: { id: string }): Promise<void> {
    await this.emulator.waitForCall(
      "POST /interactions/:id/:token/callback",
      (call) => call.params.id === delivery.id,
    );
    await this.idle();
  }

  /** Where the emulator posts interactions for `via: { url }` (with `http: true`). */
  get interactionsUrl(): string {
    const url = this.host?.routes.urlOf(INTERACTIONS_PATH);
    if (!url) throw new Error("the harness serves no HTTP (start it with http: true)");
    return url;
  }

  async close(): Promise<void> {
    await this.service?.close();
    await this.adapter?.stop();
    await this.host?.close();
    await this.emulator.close();
    await this.store.destroy();
    if (this.contractBreaks.length > 0) throw this.contractBreaks[0];
  }

  private get approvers(): string[] {
    return this.options.approvers ?? [BOSS.id];
  }

  private async boot(): Promise<void> {
    this.config = loadConfig({
      DISCORD_TOKEN: this.emulator.token,
      DISCORD_API_URL: this.emulator.apiUrl,
      OCTO_APPROVERS: this.approvers.join(","),
      OCTO_LOG_LEVEL: "trace",
      ...(this.options.http ? { DISCORD_PUBLIC_KEY: this.emulator.publicKeyHex } : {}),
      ...this.options.env,
    });
    this.host = this.options.http
      ? new HttpHost({ host: "127.0.0.1", port: 0, logger: this.logger })
      : undefined;
    this.service = createTestService(this.store, {
      ...this.options.service,
      ...(this.options.queue ? { queue: await this.options.queue(this.store) } : {}),
      settings: { approvers: this.approvers, ...this.options.service?.settings },
    }).service;
    this.ledger = storeLedger(this.store);
    const adapter = createDiscordAdapter(
      {
        config: this.config,
        conversations: contractChecked(this.service, (error) => this.contractBreaks.push(error)),
        ledger: this.ledger,
        logger: this.logger,
        ...(this.host ? { http: this.host.routes } : {}),
      },
      { ...FAST, ...this.options.adapter },
    );
    if (!adapter) throw new Error("no Discord adapter for a Discord configuration");
    this.adapter = adapter;
    await adapter.start();
    await this.service.start();
    await this.host?.listen();
  }

  /** A person mentions the bot in a channel; resolves with the message and the thread started on it. */
  async mention(content: string, author: { id: string } = ALICE, channel: { id: string } = GENERAL) {
    const message = this.emulator.userSends({ channel, author, mentionBot: true, content });
    await this.emulator.waitForCall(
      "POST /channels/:id/messages/:mid/threads",
      (call) => call.params.mid === message.id,
    );
    return { message, thread: this.threadOf(message.id) };
  }

  /** Waits for the bot's `count`th post into `channel` (a thread, a DM), then for quiet. */
  async posted(channel: string, count: number): Promise<void> {
    await this.emulator.waitForCall("POST /channels/:id/messages", (call) => call.params.id === channel, {
      nth: count,
    });
    await this.idle();
  }

  /** The bot's messages in a channel or thread, as they stand now, oldest first (ephemerals left out). */
  botMessages(channel: string): EmulatedMessage[] {
    return this.emulator
      .messages(channel)
      .filter((message) => message.authorId === BOT_USER_ID && !(message.flags & 64));
  }

  /** The thread Discord started on a message (it has the message's id). */
  threadOf(messageId: string): string {
    const thread = this.emulator.message(messageId)?.threadId;
    if (!thread) throw new Error(`no thread on message ${messageId}`);
    return thread;
  }
}

/** All text a message shows: content and every text of its embeds. */
export function shownText(message: Pick<EmulatedMessage, "content" | "embeds"> | undefined): string {
  if (!message) return "";
  const parts: string[] = [message.content];
  for (const embed of message.embeds as Record<string, unknown>[]) {
    const { title, description, footer, fields, author } = embed as {
      title?: string;
      description?: string;
      footer?: { text?: string };
      author?: { name?: string };
      fields?: { name: string; value: string }[];
    };
    parts.push(title ?? "", description ?? "", footer?.text ?? "", author?.name ?? "");
    for (const field of fields ?? []) parts.push(field.name, field.value);
  }
  return parts.filter(Boolean).join("\n");
}

/** The custom ids of a message's buttons. */
export function customIds(message: Pick<EmulatedMessage, "components"> | undefined): string[] {
  const rows = (message?.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((row) => (row.components ?? []).flatMap((button) => button.custom_id ?? []));
}

export { gate } from "../../support/gate.js";
export type { LogLine } from "../../support/logs.js";
