import type { HttpHost } from "../../../src/adapters/http/index.js";
import {
  createSlackAdapter,
  type SlackAdapter,
  type SlackAdapterOptions,
} from "../../../src/adapters/slack/index.js";
import { type Config, loadConfig } from "../../../src/config.js";
import {
  type ConversationService,
  type DeliveryLedger,
  storeLedger,
} from "../../../src/conversations/index.js";
import type { Logger } from "../../../src/log.js";
import type { MetricsRecorder } from "../../../src/metrics/index.js";
import type { JobQueue } from "../../../src/store/index.js";
import {
  type EmulatedMessage,
  type SlackDelivery,
  SlackEmulator,
  type SlackEmulatorOptions,
} from "../../emulators/slack/index.js";
import { type DatabaseKind, openTestStore, type TestStore } from "../../support/databases.js";
import { contractChecked } from "../../support/events.js";
import { capturingLogger, type LogLine } from "../../support/logs.js";
import { createTestService, type TestServiceOptions } from "../../support/service.js";

/**
 * One Slack conversation stack for a test: the emulator, a store (Postgres when it answers, else
 * PGlite), the real ConversationService with the scripted model, and the real Bolt-based adapter
 * reaching the emulator through SLACK_API_URL, over HTTP or Socket Mode.
 */
export type Transport = "http" | "socket";

export const ALICE = "U0ALICE";
export const BOB = "U0BOB";
export const MINJI = "U0MINJI";
/** In OCTO_APPROVERS: may decide anyone's approvals. */
export const BOSS = "U0BOSS";
/** In no list; tests put her in a user group. */
export const CAROL = "U0CAROL";
export const GENERAL = "C0GENERAL";
export const DM = "D0ALICE";

export const FAST: SlackAdapterOptions = {
  listen: { host: "127.0.0.1", port: 0 },
  progressIntervalMs: 20,
  retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50 },
  stopGraceMs: 5_000,
};

export type { LogLine } from "../../support/logs.js";

export interface HarnessOptions {
  transport?: Transport;
  /** Counts acknowledgement latency (and, given to the service too, runs). */
  metrics?: MetricsRecorder;
  service?: TestServiceOptions;
  emulator?: SlackEmulatorOptions;
  adapter?: SlackAdapterOptions;
  /** OCTO_APPROVERS for both the adapter and the service (default: BOSS). */
  approvers?: string[];
  /**
   * A shared HTTP server (as main.ts gives): the adapter mounts /slack/events on it instead of listening
   * itself, and the harness starts it listening after the first boot.
   */
  host?: HttpHost;
  /** The job queue of each service booted (default: the in-process one on the harness's store). */
  queue?: (store: TestStore) => Promise<JobQueue>;
  /** Where the store lives (default: the Postgres server when it answers, else PGlite). */
  database?: DatabaseKind;
  /** More environment for the bot (OCTO_SLACK_PROGRESS ...). */
  env?: NodeJS.ProcessEnv;
}

export class SlackHarness {
  readonly logs: LogLine[] = [];
  /** Events the service streamed to the adapter that broke `RunEventSchema`; `close` fails on any. */
  readonly contractBreaks: Error[] = [];
  service!: ConversationService;
  ledger!: DeliveryLedger;
  adapter!: SlackAdapter;
  delivery!: SlackDelivery;
  config!: Config;

  private constructor(
    readonly emulator: SlackEmulator,
    readonly store: TestStore,
    readonly transport: Transport,
    private readonly options: HarnessOptions,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<SlackHarness> {
    const emulator = await SlackEmulator.start({
      triggerTtlMs: 60_000,
      socketPingIntervalMs: 0,
      ...options.emulator,
      seed: {
        users: [
          { id: ALICE, name: "alice", locale: "en-US" },
          { id: BOB, name: "bob", locale: "en-US" },
          { id: MINJI, name: "minji", locale: "ko-KR" },
          { id: BOSS, name: "boss", locale: "en-US" },
          { id: CAROL, name: "carol", locale: "en-US" },
        ],
        ...options.emulator?.seed,
      },
    });
    const store = await openTestStore(options.database ?? "postgres");
    const harness = new SlackHarness(emulator, store, options.transport ?? "http", options);
    await harness.boot();
    return harness;
  }

  get logger(): Logger {
    return capturingLogger(this.logs);
  }

  /** Starts a new service and adapter on the same database: what a process restart does. */
  async restart(): Promise<void> {
    await this.service.close();
    await this.adapter.stop();
    await this.boot();
  }

  /** Waits until the adapter has nothing left in flight. */
  idle(): Promise<void> {
    return this.adapter.idle();
  }

  async close(): Promise<void> {
    await this.service?.close();
    await this.adapter?.stop();
    await this.emulator.close();
    await this.store.destroy();
    if (this.contractBreaks.length > 0) throw this.contractBreaks[0];
  }

  private get approvers(): string[] {
    return this.options.approvers ?? [BOSS];
  }

  private async boot(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      SLACK_BOT_TOKEN: this.emulator.botToken,
      SLACK_API_URL: this.emulator.apiUrl,
      OCTO_APPROVERS: this.approvers.join(","),
      OCTO_LOG_LEVEL: "trace",
      ...this.options.env,
    };
    if (this.transport === "http") env.SLACK_SIGNING_SECRET = this.emulator.signingSecret;
    else env.SLACK_APP_TOKEN = this.emulator.appToken;
    this.config = loadConfig(env);
    this.service = createTestService(this.store, {
      ...this.options.service,
      ...(this.options.queue ? { queue: await this.options.queue(this.store) } : {}),
      settings: { approvers: this.approvers, ...this.options.service?.settings },
    }).service;
    this.ledger = storeLedger(this.store);
    const adapter = createSlackAdapter(
      {
        config: this.config,
        conversations: contractChecked(this.service, (error) => this.contractBreaks.push(error)),
        ledger: this.ledger,
        logger: this.logger,
        ...(this.options.host ? { http: this.options.host.routes } : {}),
        ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      },
      { ...FAST, ...this.options.adapter },
    );
    if (!adapter) throw new Error("no Slack adapter for a Slack configuration");
    this.adapter = adapter;
    await adapter.start();
    if (this.options.host && !this.options.host.url) await this.options.host.listen();
    await this.service.start();
    this.delivery =
      this.transport === "http" ? this.emulator.http(adapter.eventsUrl as string) : this.emulator.socket();
  }
}

/** Messages the app posted in a thread, oldest first, as they look now. */
export function botMessages(h: SlackHarness, channel: string, threadTs: string): EmulatedMessage[] {
  return h.emulator.workspace.thread(channel, threadTs).filter((message) => message.botId !== undefined);
}

/** All text a message shows: its fallback text and every text field in its blocks. */
export function shownText(message: { text: string; blocks?: unknown }): string {
  const parts: string[] = [message.text];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (key === "text" && typeof item === "string") parts.push(item);
        else visit(item);
      }
    }
  };
  visit(message.blocks);
  return parts.join("\n");
}

export function actionIds(message: { blocks?: unknown }): string[] {
  const ids: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record.action_id === "string") ids.push(record.action_id);
      for (const item of Object.values(record)) visit(item);
    }
  };
  visit(message.blocks);
  return ids;
}

export { gate } from "../../support/gate.js";
