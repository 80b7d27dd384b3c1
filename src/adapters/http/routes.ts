import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * What an adapter may hang on the process's one HTTP server (AdapterContext.http). Routes are mounted
 * before the server listens; an adapter that stops unmounts its routes, which then answer 503 until the
 * server closes (a platform retries or reports it) instead of reaching an adapter that is gone.
 */
export interface HttpRoutes {
  /**
   * A route that sees the request body exactly as it was sent (for signature checks), read by the host
   * up to `bodyLimitBytes` (413 beyond, before the handler runs).
   */
  route(method: HttpMethod, path: string, handler: RawRouteHandler): MountedRoute;
  /**
   * A route handed the raw Node request and response, for a library that does its own HTTP (Bolt's
   * HTTPReceiver.requestListener). The host refuses a declared Content-Length over `bodyLimitBytes`
   * with 413; a chunked body is the listener's to cap (Bolt's `bodyLimit`), with the same figure.
   */
  node(method: HttpMethod, path: string, listener: NodeListener): MountedRoute;
  /**
   * A whole application under `prefix` (every method on `prefix` and every path below it: the HTTP
   * API). It is handed the request as received and the server's bindings (the raw Node request and
   * response, WebSocket upgrades), answers everything there itself (its own 404s) and caps bodies sent
   * without a Content-Length at `bodyLimitBytes` itself; a declared one over it gets 413 first.
   */
  app(prefix: string, app: MountedApp): MountedRoute;
  /** The largest request body any route accepts. */
  readonly bodyLimitBytes: number;
  /** The absolute URL of a path on this server once it listens (for logs and tests), else undefined. */
  urlOf(path: string): string | undefined;
}

export type HttpMethod = "GET" | "POST";

export interface RawRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: Headers;
  /** The body's bytes, unparsed. */
  readonly body: Buffer;
}

export type RawRouteHandler = (request: RawRequest) => Response | Promise<Response>;

/** What `app` mounts: a fetch handler, such as a Hono app's `fetch`. */
export interface MountedApp {
  fetch(request: Request, bindings: unknown): Response | Promise<Response>;
}

export type NodeListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface MountedRoute {
  /** From now on the route answers 503; mounting the same method and path again serves it anew. */
  unmount(): void;
}
