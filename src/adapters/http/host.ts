import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer, type HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { WebSocketServer } from "ws";
import type { ReadinessReport } from "../../health/index.js";
import type { Logger } from "../../log.js";
import type {
  HttpMethod,
  HttpRoutes,
  MountedApp,
  MountedRoute,
  NodeListener,
  RawRouteHandler,
} from "./routes.js";

/** Larger than any Slack or Discord delivery (both stay well under 100 KB); the cap every route shares. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const HEALTH_PATH = "/healthz";
export const READY_PATH = "/readyz";
export const METRICS_PATH = "/metrics";
/** How long close() lets requests in flight finish before it drops their connections. */
const CLOSE_GRACE_MS = 3_000;

export interface HttpHostOptions {
  /** Bind address (HOST). */
  host: string;
  /** PORT; 0 picks a free port (tests). */
  port: number;
  logger: Logger;
  bodyLimitBytes?: number;
  /** Served at GET /metrics in Prometheus' text format (a prom-client Registry fits). */
  metrics?: { readonly contentType: string; metrics(): Promise<string> } | undefined;
  /** Served at GET /readyz: 200 with the checks when ready, 503 naming the failing ones otherwise. */
  readiness?: (() => Promise<ReadinessReport>) | undefined;
  /**
   * False for the platforms' server when OCTO_ADMIN_PORT puts /healthz, /readyz and /metrics on a
   * listener of their own: this one then serves none of them. Default true.
   */
  adminEndpoints?: boolean | undefined;
}

type Entry =
  | { kind: "route"; handler: RawRouteHandler; active: boolean }
  | { kind: "node"; listener: NodeListener; active: boolean }
  | { kind: "app"; app: MountedApp; active: boolean };

type Env = { Bindings: HttpBindings };

/**
 * The process's one HTTP server: a Hono app on @hono/node-server. Adapters mount their routes through
 * `routes` (AdapterContext.http); the server listens only when `listen()` is called, which the process
 * does only when some route was mounted, so the console-only quick start opens no port. It serves
 * `GET /healthz` (alive), `GET /readyz` and `GET /metrics` (when given them) unless `adminEndpoints` is
 * false, a JSON 404 for unknown paths and 413 for bodies over the cap on every route.
 */
export class HttpHost {
  readonly routes: HttpRoutes;
  private readonly app = new Hono<Env>();
  private readonly entries = new Map<string, Entry>();
  private readonly log: Logger;
  private readonly limit: number;
  private server: Server | undefined;
  private sockets: WebSocketServer | undefined;
  private address: AddressInfo | undefined;
  /** The failing checks /readyz last reported ("" when ready; undefined before the first probe). */
  private readyState: string | undefined;

  constructor(private readonly options: HttpHostOptions) {
    this.log = options.logger.child({ component: "http" });
    this.limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
    this.app.use(async (c, next) => {
      const declared = Number(c.req.header("content-length") ?? 0);
      if (declared > this.limit) return this.tooLarge(c);
      await next();
    });
    if (options.adminEndpoints ?? true) this.adminEndpoints();
    this.app.notFound((c) => c.json({ error: "not_found" }, 404));
    this.app.onError((error, c) => {
      if (error instanceof HTTPException) return error.getResponse();
      this.log.error({ err: error, method: c.req.method, path: c.req.path }, "HTTP route failed");
      return c.json({ error: "internal" }, 500);
    });
    this.routes = {
      route: (method, path, handler) => this.mount(method, path, { kind: "route", handler, active: true }),
      node: (method, path, listener) => this.mount(method, path, { kind: "node", listener, active: true }),
      app: (prefix, app) => this.mount("ALL", prefix, { kind: "app", app, active: true }),
      bodyLimitBytes: this.limit,
      urlOf: (path) => (this.url ? `${this.url}${path}` : undefined),
    };
  }

  private adminEndpoints(): void {
    // Alive means the event loop answers: no dependency is asked, so a database outage never gets
    // the process restarted (readiness says that, and the bot recovers by itself).
    this.app.get(HEALTH_PATH, (c) => c.text("ok"));
    const { metrics, readiness } = this.options;
    if (readiness)
      this.app.get(READY_PATH, async (c) => {
        const report = await readiness();
        // Probes come every few seconds: a line when the answer changes, not one per probe.
        const failing = Object.entries(report.checks).filter(([, check]) => !check.ok);
        const state = failing.map(([name]) => name).join(",");
        if (state !== this.readyState) {
          if (failing.length > 0) this.log.warn({ failing: Object.fromEntries(failing) }, "not ready");
          else if (this.readyState !== undefined) this.log.info("ready again");
          this.readyState = state;
        }
        return c.json(report, report.ready ? 200 : 503, { "cache-control": "no-store" });
      });
    if (metrics)
      this.app.get(METRICS_PATH, async (c) =>
        c.body(await metrics.metrics(), 200, { "content-type": metrics.contentType }),
      );
  }

  /** True when some adapter mounted a route, i.e. the server has a reason to listen. */
  get needed(): boolean {
    return [...this.entries.values()].some((entry) => entry.active);
  }

  /** `http://host:port` once listening (a wildcard bind address shows as 127.0.0.1). */
  get url(): string | undefined {
    if (!this.address) return undefined;
    const { address, port } = this.address;
    const host = address === "0.0.0.0" || address === "::" ? "127.0.0.1" : address;
    return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  }

  async listen(): Promise<string> {
    if (this.server && this.url) return this.url;
    // WebSocket upgrades go through the same routes (an app mounted with `app` accepts them with
    // @hono/node-server's upgradeWebSocket); a message is capped like a body.
    this.sockets = new WebSocketServer({ noServer: true, maxPayload: this.limit });
    const server = createAdaptorServer({
      fetch: this.app.fetch,
      // Keep Node's own Request/Response globals: discord.js, Bolt and undici share this process.
      overrideGlobalObjects: false,
      websocket: { server: this.sockets },
    }) as Server;
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => {
        const hint = error.code === "EADDRINUSE" ? "; another process holds it, set PORT to a free port" : "";
        reject(new Error(`cannot listen on ${host}:${port} (${error.code ?? error.message})${hint}`));
      };
      server.once("error", failed);
      server.listen(port, host, () => {
        server.off("error", failed);
        resolve();
      });
    });
    server.on("error", (error) => this.log.error({ err: error }, "HTTP server error"));
    this.server = server;
    this.address = server.address() as AddressInfo;
    const routes = [...this.entries].filter(([, entry]) => entry.active).map(([key]) => key);
    this.log.info({ host, port: this.address.port, routes }, "HTTP server listening");
    return this.url as string;
  }

  /** Stops listening; requests in flight get a few seconds to finish. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.address = undefined;
    // Upgraded connections are no longer the HTTP server's: told the server is going away, then dropped.
    const sockets = this.sockets;
    this.sockets = undefined;
    for (const socket of sockets?.clients ?? []) socket.close(1001, "server shutting down");
    const timer = setTimeout(() => {
      server.closeAllConnections();
      for (const socket of sockets?.clients ?? []) socket.terminate();
    }, CLOSE_GRACE_MS);
    timer.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(timer);
    this.log.info("HTTP server closed");
  }

  private mount(method: HttpMethod | "ALL", path: string, entry: Entry): MountedRoute {
    const key = `${method} ${path}`;
    const known = this.entries.get(key);
    if (known?.active) throw new Error(`HTTP route ${key} is already mounted`);
    if (known && known.kind !== entry.kind) throw new Error(`HTTP route ${key} was mounted as ${known.kind}`);
    if (!known) {
      // Hono seals its router on the first request; a route has to exist before that.
      if (this.server) throw new Error(`HTTP route ${key}: mount routes before the server listens`);
      this.register(method, path, key, entry.kind);
    }
    this.entries.set(key, entry);
    return {
      unmount: () => {
        if (this.entries.get(key) === entry) entry.active = false;
      },
    };
  }

  private register(method: HttpMethod | "ALL", path: string, key: string, kind: Entry["kind"]): void {
    const current = () => {
      const entry = this.entries.get(key);
      return entry?.active ? entry : undefined;
    };
    const unavailable = (c: Context<Env>) => c.json({ error: "unavailable" }, 503, { "retry-after": "5" });
    if (kind === "app" || method === "ALL") {
      const handler = (c: Context<Env>) => {
        const entry = current();
        if (entry?.kind !== "app") return unavailable(c);
        return entry.app.fetch(c.req.raw, c.env);
      };
      const prefix = path.replace(/\/+$/, "");
      this.app.all(prefix, handler);
      this.app.all(`${prefix}/*`, handler);
      return;
    }
    if (kind === "node") {
      this.app.on(method, path, async (c) => {
        const entry = current();
        if (entry?.kind !== "node") return unavailable(c);
        const { incoming, outgoing } = c.env;
        const finished = new Promise<void>((resolve) => outgoing.once("close", resolve));
        try {
          entry.listener(incoming, outgoing);
        } catch (error) {
          // Before the listener wrote anything the host can still answer 500; after, only drop it.
          if (!outgoing.headersSent) throw error;
          this.log.error({ err: error, route: key }, "HTTP listener failed mid-response");
          outgoing.destroy();
        }
        await finished;
        return RESPONSE_ALREADY_SENT;
      });
      return;
    }
    const limit = bodyLimit({ maxSize: this.limit, onError: (c) => this.tooLarge(c) });
    this.app.on(method, path, limit, async (c) => {
      const entry = current();
      if (entry?.kind !== "route") return unavailable(c);
      const body = Buffer.from(await c.req.arrayBuffer());
      return entry.handler({ method, url: new URL(c.req.url), headers: c.req.raw.headers, body });
    });
  }

  private tooLarge(c: Context<Env>): Response {
    this.log.warn(
      { method: c.req.method, path: c.req.path, limitBytes: this.limit },
      "HTTP body over the limit",
    );
    return c.json({ error: "payload_too_large", limit_bytes: this.limit }, 413);
  }
}
