import { webApi } from "@slack/bolt";
import {
  attachDelivery,
  createDelivery,
  type Delivery,
  runLinksFromConfig,
  settleDeliveries,
} from "../../delivery/index.js";
import { slack } from "../../renderers/index.js";
import { HttpHost, type HttpRoutes } from "../http/index.js";
import type { Adapter, AdapterContext, ConnectionState } from "../types.js";
import { splitApprovers } from "./approvers.js";
import { listenForAssistant } from "./assistant.js";
import { type BoltParts, createBoltApp } from "./bolt-app.js";
import type { SlackContext } from "./context.js";
import { slackFileReader } from "./files.js";
import { listenForActions } from "./listen-actions.js";
import { listenForCommands } from "./listen-commands.js";
import { listenForMessages } from "./listen-messages.js";
import { EVENTS_PATH, type SlackSettings, slackSettings } from "./settings.js";
import { SlackOutbox, slackErrorCode } from "./sink.js";
import { parseSlackThreadKey } from "./thread-key.js";

export interface SlackAdapterOptions {
  /**
   * HTTP mode without a shared server (no `AdapterContext.http`): where the adapter's own server listens;
   * default HOST and PORT. Tests use `{ host: "127.0.0.1", port: 0 }`. Ignored when `http` is given.
   */
  listen?: { port: number; host?: string };
  /** Least time between two edits of one progress card (default 1000 ms). */
  progressIntervalMs?: number;
  /** Web API retry policy for network failures and 429s (default: five retries in five minutes). */
  retryConfig?: webApi.RetryOptions;
  /** How long stop() lets deliveries in flight finish (default 3 s, after the service suspended its runs); their state is in the store anyway. */
  stopGraceMs?: number;
  /** How many people's locales to remember (default 10,000, least recently used forgotten). */
  userLocalesCapacity?: number;
}

export interface SlackAdapter extends Adapter {
  readonly mode: SlackSettings["mode"];
  /** HTTP mode, once started: the URL Slack posts events, commands and interactivity to. */
  readonly eventsUrl: string | undefined;
  /** Resolves once all work started for deliveries so far (runs, card edits, uploads) has finished. */
  idle(): Promise<void>;
  /**
   * Sizes of what the adapter keeps in memory for as long as it runs (people's locales, deliveries in
   * flight): a soak checks they stay bounded.
   */
  bookkeeping(): { userLocales: number; deliveriesInFlight: number };
}

/** The Slack adapter, or undefined when no Slack token is configured. */
export function createSlackAdapter(
  ctx: AdapterContext,
  options: SlackAdapterOptions = {},
): SlackAdapter | undefined {
  const settings = slackSettings(ctx.config);
  return settings ? new BoltSlackAdapter(ctx, settings, options) : undefined;
}

class BoltSlackAdapter implements SlackAdapter {
  readonly name = "slack";
  private bolt: BoltParts | undefined;
  private readonly log;
  private delivery: Delivery<slack.SlackMessage> | undefined;
  private detach: (() => void) | undefined;
  private receiving = false;
  /** Where /slack/events is mounted: the process's server, or one of the adapter's own. */
  private http: HttpRoutes | undefined;
  private ownHost: HttpHost | undefined;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly settings: SlackSettings,
    private readonly options: SlackAdapterOptions,
  ) {
    this.log = ctx.logger.child({ adapter: "slack" });
  }

  bookkeeping() {
    return {
      userLocales: this.delivery?.userLocales.size ?? 0,
      deliveriesInFlight: this.delivery?.tasks.size ?? 0,
    };
  }

  get mode(): SlackSettings["mode"] {
    return this.settings.mode;
  }

  get eventsUrl(): string | undefined {
    return this.receiving ? this.http?.urlOf(EVENTS_PATH) : undefined;
  }

  async start(): Promise<void> {
    if (this.bolt) throw new Error("the Slack adapter is already started");
    const receives = this.ctx.config.OCTO_ROLE !== "worker";
    this.http = this.settings.mode === "http" && receives ? this.eventRoutes(this.settings.port) : undefined;
    const bolt = await createBoltApp(this.settings, this.log, {
      http: this.http,
      retryConfig: this.options.retryConfig ?? webApi.retryPolicies.fiveRetriesInFiveMinutes,
      onAck: (seconds) => this.ctx.metrics?.acked({ platform: "slack" }, seconds),
    });
    bolt.app.client.on(
      webApi.WebClientEvent.RATE_LIMITED,
      (retryAfterSeconds: number, request: { url?: string }) =>
        this.log.warn(
          { retryAfterSeconds, method: request.url?.split("/").pop() },
          "Slack rate limit: waiting as Retry-After asks",
        ),
    );
    bolt.app.error(async (error) => {
      this.log.error({ err: error, code: error.code }, "Slack listener failed");
    });
    const outbox = new SlackOutbox(bolt.app.client, this.log, this.ctx.config.OCTO_SLACK_PROGRESS);
    const delivery = createDelivery({
      platform: "slack",
      platformName: "Slack",
      conversations: this.ctx.conversations,
      renderer: slack.renderer,
      log: this.log,
      ledger: this.ctx.ledger,
      approverGroups: splitApprovers(this.settings.approvers).groups,
      listGroupMembers: (group) => outbox.groupMembers(group),
      progressIntervalMs: this.options.progressIntervalMs ?? 1_000,
      errorCode: slackErrorCode,
      runLink: runLinksFromConfig(this.ctx.config),
      userLocalesCapacity: this.options.userLocalesCapacity,
    });
    this.delivery = delivery;
    const files = { botToken: this.settings.botToken, apiUrl: this.settings.apiUrl, log: this.log };
    const botUserId = () => bolt.identity.botUserId;
    const context: SlackContext = { delivery, outbox, files: slackFileReader(files), botUserId };
    // Before the transport starts: this process reports the Slack runs it takes, whoever accepted them.
    this.detach = attachDelivery(delivery, (threadKey) => {
      const thread = parseSlackThreadKey(threadKey);
      return thread ? outbox.thread(thread) : undefined;
    });
    this.bolt = bolt;
    if (!receives) {
      // A worker only runs jobs and reports them: no events come here, another process receives them.
      this.log.info({ team: bolt.identity.teamId }, "Slack adapter started (worker: posting only)");
      return;
    }
    // Before the message listeners: Bolt's Assistant takes the messages of assistant (DM) threads.
    listenForAssistant(bolt.app, context);
    listenForMessages(bolt.app, context);
    listenForCommands(bolt.app, context);
    listenForActions(bolt.app, context);

    await bolt.start();
    this.receiving = true;
    await this.ownHost?.listen();
    this.log.info(
      {
        mode: this.settings.mode,
        team: bolt.identity.teamId,
        botUser: bolt.identity.botUserId,
        ...(this.http ? { path: EVENTS_PATH, url: this.eventsUrl } : {}),
      },
      "Slack adapter started",
    );
  }

  connection(): ConnectionState {
    if (!this.bolt) return { up: false, reason: "Slack adapter not started" };
    // A worker receives nothing: its Web API client is all it needs, and it is not a connection.
    if (this.ctx.config.OCTO_ROLE === "worker") return { up: true };
    if (!this.receiving) return { up: false, reason: "Slack adapter starting" };
    return this.bolt.connection();
  }

  /** The shared server when the process gave one; otherwise a server of the adapter's own. */
  private eventRoutes(port: number): HttpRoutes {
    if (this.ctx.http) return this.ctx.http;
    this.ownHost = new HttpHost({
      host: this.options.listen?.host ?? this.ctx.config.HOST,
      port: this.options.listen?.port ?? port,
      logger: this.log,
    });
    return this.ownHost.routes;
  }

  async stop(): Promise<void> {
    const bolt = this.bolt;
    if (!bolt) return;
    this.bolt = undefined;
    if (this.receiving) await bolt.stop();
    this.receiving = false;
    await this.ownHost?.close();
    this.ownHost = undefined;
    if (this.delivery) await settleDeliveries(this.delivery, this.options.stopGraceMs ?? 3_000);
    this.detach?.();
    this.log.info("Slack adapter stopped");
  }

  async idle(): Promise<void> {
    await this.delivery?.tasks.idle();
    await this.ctx.conversations.idle();
    await this.delivery?.tasks.idle();
  }
}
