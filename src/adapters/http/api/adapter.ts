import { version } from "../../../cli.js";
import type { Logger } from "../../../log.js";
import type { Adapter, AdapterContext } from "../../types.js";
import { HttpHost } from "../host.js";
import type { HttpRoutes, MountedRoute } from "../routes.js";
import { createApiApp } from "./app.js";
import { API_BASE } from "./views.js";
import type { SocketSet } from "./ws.js";

/** Past the turn's own deadline a run has stopped: a waiting request gives up a little after it. */
const WAIT_MARGIN_MS = 30_000;

export interface HttpApiAdapter extends Adapter {
  /** `http://host:port/api/v1` once the server listens; undefined before. */
  readonly url: string | undefined;
}

/**
 * The HTTP API as a platform beside Slack and Discord, over the same ConversationApi: `/api/v1` mounted
 * on the process's one server (AdapterContext.http; its own when none is given). Its runs are reported
 * by the run event log alone (the service's `http` platform), which every replica writes and reads, so
 * a client on one replica follows a run that executes on another. Undefined without OCTO_API_TOKEN, and
 * for a worker process (OCTO_ROLE=worker receives nothing), each with a log line saying so.
 */
export function createHttpApiAdapter(ctx: AdapterContext): HttpApiAdapter | undefined {
  const log = ctx.logger.child({ adapter: "http-api" });
  const token = ctx.config.OCTO_API_TOKEN;
  if (!token) {
    log.info("HTTP API disabled: OCTO_API_TOKEN is not set");
    return undefined;
  }
  if (ctx.config.OCTO_ROLE === "worker") {
    log.info("HTTP API not served by a worker (OCTO_ROLE=worker); its runs are still taken here");
    return undefined;
  }
  return new ApiAdapter(ctx, token, log);
}

class ApiAdapter implements HttpApiAdapter {
  readonly name = "http-api";
  private mounted: MountedRoute | undefined;
  private ownHost: HttpHost | undefined;
  private routes: HttpRoutes | undefined;
  private readonly sockets: SocketSet = new Set();

  constructor(
    private readonly ctx: AdapterContext,
    private readonly token: string,
    private readonly log: Logger,
  ) {}

  get url(): string | undefined {
    return this.routes?.urlOf(API_BASE);
  }

  async start(): Promise<void> {
    if (this.mounted) return;
    const { config } = this.ctx;
    this.routes = this.ctx.http ?? this.hostOfItsOwn();
    const app = createApiApp({
      conversations: this.ctx.conversations,
      log: this.log,
      token: this.token,
      allowedOrigins: config.OCTO_ALLOWED_ORIGINS,
      bodyLimitBytes: this.routes.bodyLimitBytes,
      waitMs: config.OCTO_TURN_TIMEOUT_MS + WAIT_MARGIN_MS,
      sockets: this.sockets,
      version: version(),
    });
    this.mounted = this.routes.app(API_BASE, app);
    await this.ownHost?.listen();
    this.log.info(
      { path: API_BASE, origins: config.OCTO_ALLOWED_ORIGINS.length, ...(this.url ? { url: this.url } : {}) },
      "HTTP API started",
    );
  }

  async stop(): Promise<void> {
    if (!this.mounted) return;
    this.mounted.unmount();
    this.mounted = undefined;
    // Runs go on (their events stay in the log): a client reconnects and resumes where it was.
    for (const socket of this.sockets) socket.close(1001, "server shutting down");
    this.sockets.clear();
    await this.ownHost?.close();
    this.ownHost = undefined;
    this.log.info("HTTP API stopped");
  }

  private hostOfItsOwn(): HttpRoutes {
    this.ownHost = new HttpHost({ host: this.ctx.config.HOST, port: this.ctx.config.PORT, logger: this.log });
    return this.ownHost.routes;
  }
}
