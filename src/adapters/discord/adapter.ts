import { type APIInteraction, type Client, Events, RESTEvents, type RESTOptions } from "discord.js";
import {
  attachDelivery,
  createDelivery,
  type Delivery,
  runLinksFromConfig,
  settleDeliveries,
} from "../../delivery/index.js";
import { discord } from "../../renderers/index.js";
import type { MountedRoute } from "../http/index.js";
import type { Adapter, AdapterContext, ConnectionState } from "../types.js";
import { ChannelPlaces } from "./channels.js";
import { connectGateway, createClient, destroyClient, whoAmI } from "./client.js";
import type { DiscordContext } from "./context.js";
import { discordFileReader } from "./files.js";
import { INTERACTIONS_PATH, mountInteractionsEndpoint } from "./http-interactions.js";
import { createInteractionIntake, type InteractionIntake, timedIntake } from "./interactions.js";
import { onMessageCreate } from "./messages.js";
import { DiscordOutbox, discordErrorCode } from "./outbox.js";
import { type DiscordSettings, discordSettings } from "./settings.js";
import { DiscordThreadSink } from "./sink.js";
import { parseDiscordThreadKey } from "./thread-key.js";
import { INTERACTION_TOKEN_TTL_MS, InteractionTokens } from "./tokens.js";

export interface DiscordAdapterOptions {
  /** Least time between two edits of one progress message (default 1000 ms; Discord allows about 5 edits in 5 s per channel). */
  progressIntervalMs?: number;
  /** How long stop() lets deliveries in flight finish (default 3 s); their state is in the store anyway. */
  stopGraceMs?: number;
  /** Bound on `client.destroy()` (default 3 s). */
  destroyTimeoutMs?: number;
  /** Bound on the gateway login, READY included (default 30 s). */
  loginTimeoutMs?: number;
  /** How long an interaction's token is used (default 14 min of Discord's 15); tests shorten it. */
  interactionTokenTtlMs?: number;
  /** How long an interaction may go without its first response before one is sent (default 2.5 s of Discord's 3). */
  firstResponseMs?: number;
  /** discord.js REST options (retries, timeouts) on top of DISCORD_API_URL. */
  rest?: Partial<RESTOptions>;
}

export interface DiscordAdapter extends Adapter {
  /**
   * Where interactions are handled, gateway and HTTP alike; undefined before start and for a worker
   * (OCTO_ROLE=worker receives nothing).
   */
  readonly interactions: InteractionIntake | undefined;
  /** The bot's user id, once started. */
  readonly botUserId: string | undefined;
  /** Resolves once all work started for deliveries so far (runs, edits, uploads) has finished. */
  idle(): Promise<void>;
}

/** The Discord adapter, or undefined when no DISCORD_TOKEN is configured. */
export function createDiscordAdapter(
  ctx: AdapterContext,
  options: DiscordAdapterOptions = {},
): DiscordAdapter | undefined {
  const settings = discordSettings(ctx.config);
  return settings ? new GatewayDiscordAdapter(ctx, settings, options) : undefined;
}

class GatewayDiscordAdapter implements DiscordAdapter {
  readonly name = "discord";
  private client: Client | undefined;
  private delivery: Delivery<discord.DiscordMessage> | undefined;
  private intake: InteractionIntake | undefined;
  private detach: (() => void) | undefined;
  private endpoint: MountedRoute | undefined;
  private botUser: string | undefined;
  private receiving = false;
  /** The gateway as its shard events last told (discord.js resumes or reconnects by itself). */
  private gateway: ConnectionState = { up: false, reason: "Discord gateway not connected yet" };
  private readonly log;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly settings: DiscordSettings,
    private readonly options: DiscordAdapterOptions,
  ) {
    this.log = ctx.logger.child({ adapter: "discord" });
  }

  get interactions(): InteractionIntake | undefined {
    return this.intake;
  }

  get botUserId(): string | undefined {
    return this.botUser;
  }

  async start(): Promise<void> {
    if (this.client) throw new Error("the Discord adapter is already started");
    const me = await whoAmI(this.settings);
    this.botUser = me.id;
    const client = createClient(this.settings, this.options.rest);
    this.client = client;
    client.rest.on(RESTEvents.RateLimited, (info) =>
      // `route` is the bucket's (ids and tokens replaced); the full URL may carry an interaction token.
      this.log.warn(
        { route: info.route, method: info.method, retryAfterMs: info.retryAfter, global: info.global },
        "Discord rate limit: the REST queue waits it out",
      ),
    );
    const outbox = new DiscordOutbox(client.rest, this.log);
    const tokens = new InteractionTokens();
    const delivery = createDelivery({
      platform: "discord",
      platformName: "Discord",
      conversations: this.ctx.conversations,
      renderer: discord.renderer,
      log: this.log,
      ledger: this.ctx.ledger,
      // Role ids among OCTO_APPROVERS count through the clicking member's roles; Discord has no
      // role-member listing without the privileged members intent, so there is no lookup.
      approverGroups: this.settings.approvers,
      progressIntervalMs: this.options.progressIntervalMs ?? 1_000,
      errorCode: discordErrorCode,
      runLink: runLinksFromConfig(this.ctx.config),
    });
    this.delivery = delivery;
    // Before the gateway: this process reports the Discord runs it takes, whoever accepted them.
    this.detach = attachDelivery(delivery, (threadKey) => {
      const thread = parseDiscordThreadKey(threadKey);
      return thread ? new DiscordThreadSink(outbox, tokens, thread) : undefined;
    });
    if (this.settings.postOnly) {
      this.log.info({ botUser: me.id }, "Discord adapter started (worker: posting only)");
      return;
    }
    const context: DiscordContext = {
      delivery,
      outbox,
      tokens,
      places: new ChannelPlaces(client, outbox, this.log),
      files: discordFileReader({ apiUrl: this.settings.apiUrl, log: this.log }),
      settings: this.settings,
      botUserId: () => this.botUser,
      tokenTtlMs: this.options.interactionTokenTtlMs ?? INTERACTION_TOKEN_TTL_MS,
      firstResponseMs: this.options.firstResponseMs ?? 2_500,
    };
    const intake = timedIntake(createInteractionIntake(context), (seconds) =>
      this.ctx.metrics?.acked({ platform: "discord" }, seconds),
    );
    client.on(Events.Raw, (packet: { t?: string | null; d?: unknown }) => {
      if (!this.receiving) return;
      if (packet.t === "MESSAGE_CREATE") onMessageCreate(context, packet.d);
      else if (packet.t === "INTERACTION_CREATE") {
        const interaction = packet.d as APIInteraction;
        intake
          .handle(interaction, (response) => outbox.callback(interaction.id, interaction.token, response))
          .catch((error: unknown) =>
            this.log.error({ error: discordErrorCode(error) }, "Discord interaction handling failed"),
          );
      }
    });
    client.on(Events.ShardReady, () => {
      this.gateway = { up: true };
    });
    client.on(Events.ShardResume, (shard, replayed) => {
      this.gateway = { up: true };
      this.log.info({ shard, replayed }, "Discord gateway resumed");
    });
    client.on(Events.ShardReconnecting, () => {
      this.gateway = { up: false, reason: "Discord gateway reconnecting" };
    });
    client.on(Events.ShardDisconnect, (event, shard) => {
      this.gateway = { up: false, reason: `Discord gateway closed (code ${event.code})` };
      this.log.warn({ shard, code: event.code }, "Discord gateway closed for good");
    });
    client.on(Events.Error, (error) =>
      this.log.error({ error: discordErrorCode(error) }, "Discord client error"),
    );
    this.receiving = true;
    this.intake = intake;
    this.mountEndpoint(intake);
    await connectGateway(client, this.settings, this.options.loginTimeoutMs ?? 30_000).catch(
      async (error: unknown) => {
        this.receiving = false;
        this.intake = undefined;
        this.client = undefined;
        this.endpoint?.unmount();
        this.detach?.();
        throw error;
      },
    );
    this.log.info(
      {
        botUser: me.id,
        username: me.username,
        guilds: client.guilds.cache.size,
        ...(this.endpoint
          ? { interactions: this.ctx.http?.urlOf(INTERACTIONS_PATH) ?? INTERACTIONS_PATH }
          : {}),
      },
      "Discord adapter started",
    );
  }

  connection(): ConnectionState {
    if (!this.client) return { up: false, reason: "Discord adapter not started" };
    // A worker posts through REST only: no gateway to be up.
    if (this.settings.postOnly) return { up: true };
    return this.gateway;
  }

  /**
   * With DISCORD_PUBLIC_KEY, Discord sends interactions to `POST /discord/interactions` on the process's
   * HTTP server instead of the gateway; both go to the same intake.
   */
  private mountEndpoint(intake: InteractionIntake): void {
    const publicKey = this.ctx.config.DISCORD_PUBLIC_KEY;
    if (!publicKey) return;
    if (!this.ctx.http) {
      this.log.warn(
        "DISCORD_PUBLIC_KEY is set but this process has no HTTP server: interactions come over the gateway only",
      );
      return;
    }
    this.endpoint = mountInteractionsEndpoint(this.ctx.http, {
      publicKey,
      intake,
      logger: this.log,
      apiUrl: this.settings.apiUrl,
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.receiving = false;
    this.intake = undefined;
    this.endpoint?.unmount();
    this.endpoint = undefined;
    // Deliveries first: destroying the client also takes the token from its REST manager.
    if (this.delivery) await settleDeliveries(this.delivery, this.options.stopGraceMs ?? 3_000);
    await destroyClient(client, this.options.destroyTimeoutMs ?? 3_000, this.log);
    this.detach?.();
    this.log.info("Discord adapter stopped");
  }

  async idle(): Promise<void> {
    await this.delivery?.tasks.idle();
    await this.ctx.conversations.idle();
    await this.delivery?.tasks.idle();
  }
}
