import { RUN_PAGE_PREFIX, type RunLinkClaims, verifyRunLink } from "../../../delivery/index.js";
import type { Logger } from "../../../log.js";
import type { HttpRoutes, MountedRoute, RawRequest } from "../routes.js";
import { ViewerAssets } from "./assets.js";
import type { RunFeed } from "./feed.js";
import { ASSET_PREFIX, assetUrlOf, forbiddenPage, runPage, SECURITY_HEADERS } from "./page.js";
import { type RunStream, runStream } from "./run-stream.js";

/**
 * The live run viewer on the process's one HTTP server: `GET /runs/{token}` (the page), its event
 * stream `GET /runs/{token}/events`, and the page's assets under `/viewer/assets/`. A token is checked
 * on every request; a tampered, malformed or expired one gets 403 and nothing of the conversation.
 */

export interface RunViewerOptions {
  routes: HttpRoutes;
  feed: RunFeed;
  /** OCTO_LINK_SECRET, the key links are signed with. */
  secret: string;
  logger: Logger;
  /** Milliseconds since the epoch (tests move the clock). */
  now?: () => number;
  /** Streams open at once on this process; beyond, 503 (the browser retries). */
  maxStreams?: number;
  keepAliveMs?: number;
}

const EVENTS_SUFFIX = "/events";
const DEFAULT_MAX_STREAMS = 200;
const DEFAULT_KEEP_ALIVE_MS = 15_000;

export class RunViewer {
  readonly name = "run viewer";
  private readonly log: Logger;
  private readonly assets = new ViewerAssets();
  private readonly asset = assetUrlOf((name) => this.assets.version(name));
  private readonly streams = new Set<RunStream>();
  private mounted: MountedRoute[] = [];

  constructor(private readonly options: RunViewerOptions) {
    this.log = options.logger.child({ component: "run-viewer" });
  }

  /** Streams open now (for tests and logs). */
  get openStreams(): number {
    return this.streams.size;
  }

  async start(): Promise<void> {
    const { routes } = this.options;
    this.mounted = [
      routes.route("GET", `${RUN_PAGE_PREFIX}:token`, (request) => this.guarded(() => this.page(request))),
      routes.route("GET", `${RUN_PAGE_PREFIX}:token${EVENTS_SUFFIX}`, (request) =>
        this.guarded(() => this.events(request)),
      ),
      routes.route("GET", `${ASSET_PREFIX}:file`, (request) =>
        this.guarded(() => this.assets.respond(request.url.pathname.slice(ASSET_PREFIX.length), request)),
      ),
    ];
    this.log.info({ paths: [`${RUN_PAGE_PREFIX}{token}`, ASSET_PREFIX] }, "run viewer mounted");
  }

  /** Unmounts the routes and ends every open stream (its browser reconnects to another replica). */
  async stop(): Promise<void> {
    for (const route of this.mounted) route.unmount();
    this.mounted = [];
    for (const stream of [...this.streams]) stream.close();
  }

  private page(request: RawRequest): Response {
    const token = tokenOf(request.url.pathname, "");
    const claims = token === undefined ? undefined : this.check(token);
    if (!claims) return forbiddenPage(this.asset);
    return runPage(this.asset, `${encodeURIComponent(token ?? "")}${EVENTS_SUFFIX}`);
  }

  private events(request: RawRequest): Response {
    const token = tokenOf(request.url.pathname, EVENTS_SUFFIX);
    const claims = token === undefined ? undefined : this.check(token);
    if (!claims) return plain("forbidden", 403);
    const limit = this.options.maxStreams ?? DEFAULT_MAX_STREAMS;
    if (this.streams.size >= limit) {
      this.log.warn({ open: this.streams.size }, "run page streams at their limit; refusing one");
      return plain("busy", 503, { "retry-after": "5" });
    }
    const stream: RunStream = runStream({
      feed: this.options.feed,
      claims,
      log: this.log,
      keepAliveMs: this.options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
      onClose: () => this.streams.delete(stream),
    });
    this.streams.add(stream);
    return stream.response;
  }

  private check(token: string): RunLinkClaims | undefined {
    const now = Math.floor((this.options.now ?? Date.now)() / 1000);
    const checked = verifyRunLink(this.options.secret, token, now);
    if (checked.ok) return checked.claims;
    // The reason only: the token is a bearer link and never goes to a log.
    this.log.info({ reason: checked.reason }, "run link refused");
    return undefined;
  }

  /** The host logs a failed route with its path, which holds the token; failures stop here instead. */
  private async guarded(handle: () => Response | Promise<Response>): Promise<Response> {
    try {
      return await handle();
    } catch (error) {
      this.log.error({ err: error }, "run viewer request failed");
      return plain("internal error", 500);
    }
  }
}

function tokenOf(pathname: string, suffix: string): string | undefined {
  if (!pathname.startsWith(RUN_PAGE_PREFIX) || !pathname.endsWith(suffix)) return undefined;
  const raw = pathname.slice(RUN_PAGE_PREFIX.length, pathname.length - suffix.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function plain(text: string, status: number, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      ...extra,
    },
  });
}
