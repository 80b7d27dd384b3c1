import { Agent } from "undici";
import type { Logger } from "../../log.js";
import { AddressGuard, type AddressGuardOptions } from "./address-guard.js";
import { ACCEPT, decodeText, mediaType, pageKind, readLimited } from "./body.js";
import { guardedConnector, type Resolve, systemResolve } from "./connector.js";
import { isWebFetchError, WebFetchError } from "./errors.js";
import { htmlToMarkdown, textPage } from "./markdown.js";
import { RobotsCache } from "./robots.js";

/** A page as the agent may cite it: what was asked for, where it ended up, and its text as Markdown. */
export interface WebPage {
  /** The URL asked for. */
  url: string;
  /** The URL the text came from, after redirects. */
  finalUrl: string;
  title: string;
  markdown: string;
  /** The media type the server announced (`text/html`). */
  contentType: string;
  /** Size of the body as received. */
  bytes: number;
  /** Every redirect followed, in order. */
  redirects: string[];
}

export interface FetchPageOptions {
  signal?: AbortSignal | undefined;
  /** Sent as Accept-Language, so a site answers in the request's language where it can. */
  locale?: "ko" | "en" | undefined;
}

/** What agents get in `ctx.tools.fetch`: one page per call; failures throw a WebFetchError. */
export interface WebFetcher {
  fetchPage(url: string, options?: FetchPageOptions): Promise<WebPage>;
  close(): Promise<void>;
}

export interface WebFetcherOptions extends AddressGuardOptions {
  /** Largest body read; a larger one fails as `too_large`. */
  maxBytes?: number;
  /** For the whole fetch: robots.txt, every redirect and the body. */
  timeoutMs?: number;
  maxRedirects?: number;
  /** `Octostrator/<version>`; robots.txt rules are matched against its product name. */
  userAgent?: string;
  /** Replaces DNS (tests give a name a chosen address); every answer is still checked. */
  resolve?: Resolve;
  /** Each refused or failed fetch is logged with its reason and the site (never the path or query). */
  logger?: Logger;
}

export const WEB_DEFAULTS = {
  maxBytes: 2 * 1024 * 1024,
  timeoutMs: 15_000,
  maxRedirects: 5,
  userAgent: "Octostrator",
} as const;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ROBOTS_MAX_BYTES = 512 * 1024;
const ROBOTS_TIMEOUT_MS = 10_000;
const LANGUAGES = { ko: "ko, en;q=0.7", en: "en, ko;q=0.5" } as const;

/**
 * Fetches pages people asked for, and nothing else: the address guard sits in the connector, so it
 * judges every connection, the first and each redirect's (redirects are followed here, one at a time,
 * with robots.txt asked about each hop). Size, time and media type are bounded; HTML becomes Markdown.
 */
export class GuardedWebFetcher implements WebFetcher {
  private readonly dispatcher: Agent;
  private readonly robots: RobotsCache;
  private readonly limits: { maxBytes: number; timeoutMs: number; maxRedirects: number };
  private readonly userAgent: string;
  private readonly logger: Logger | undefined;

  constructor(options: WebFetcherOptions = {}) {
    this.limits = {
      maxBytes: options.maxBytes ?? WEB_DEFAULTS.maxBytes,
      timeoutMs: options.timeoutMs ?? WEB_DEFAULTS.timeoutMs,
      maxRedirects: options.maxRedirects ?? WEB_DEFAULTS.maxRedirects,
    };
    this.userAgent = options.userAgent ?? WEB_DEFAULTS.userAgent;
    this.logger = options.logger;
    const guard = new AddressGuard(options);
    this.dispatcher = new Agent({
      connect: guardedConnector(guard, {
        resolve: options.resolve ?? systemResolve,
        connectTimeoutMs: Math.min(this.limits.timeoutMs, 10_000),
      }),
    });
    const product = this.userAgent.split("/")[0] ?? this.userAgent;
    this.robots = new RobotsCache(product, (robotsUrl) => this.fetchRobots(robotsUrl));
  }

  async fetchPage(url: string, options: FetchPageOptions = {}): Promise<WebPage> {
    const deadline = AbortSignal.timeout(this.limits.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let current = parseTarget(url);
    const redirects: string[] = [];
    try {
      for (;;) {
        await this.robots.check(current, signal);
        const response = await this.get(current, signal, options.locale);
        if (REDIRECTS.has(response.status) && response.headers.has("location")) {
          await response.body?.cancel().catch(() => {});
          if (redirects.length >= this.limits.maxRedirects)
            throw new WebFetchError(
              "too_many_redirects",
              url,
              `more than ${this.limits.maxRedirects} redirects`,
              {
                params: { limit: this.limits.maxRedirects },
              },
            );
          current = parseTarget(new URL(response.headers.get("location") as string, current).href);
          redirects.push(current.href);
          continue;
        }
        return await this.page(url, current, response, redirects);
      }
    } catch (error) {
      const failed = failure(error, current.href, deadline, options.signal, this.limits.timeoutMs);
      this.logger?.info(
        { code: failed.code, site: current.origin, redirects: redirects.length, ...failed.params },
        "web page not fetched",
      );
      throw failed;
    }
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  private get(target: URL, signal: AbortSignal, locale?: "ko" | "en"): Promise<Response> {
    return fetch(target, {
      redirect: "manual",
      signal,
      headers: {
        "user-agent": this.userAgent,
        accept: ACCEPT,
        ...(locale ? { "accept-language": LANGUAGES[locale] } : {}),
      },
      // Node 20's fetch takes an undici 7 dispatcher; its bundled undici's types differ by name only.
      dispatcher: this.dispatcher as unknown as RequestInit["dispatcher"],
    } as RequestInit);
  }

  private async page(url: string, target: URL, response: Response, redirects: string[]): Promise<WebPage> {
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new WebFetchError("http_status", target.href, `the server answered ${response.status}`, {
        params: { status: response.status },
      });
    }
    const contentType = response.headers.get("content-type");
    const kind = pageKind(contentType);
    if (!kind) {
      await response.body?.cancel().catch(() => {});
      const type = mediaType(contentType) || "none";
      throw new WebFetchError("content_type", target.href, `not a text page (${type})`, { params: { type } });
    }
    const bytes = await readLimited(response, target.href, this.limits.maxBytes);
    const text = decodeText(bytes, contentType, kind);
    const { title, markdown } =
      kind === "html" ? htmlToMarkdown(text, target.href) : textPage(text, kind, target.href);
    return {
      url,
      finalUrl: target.href,
      title: title || target.hostname,
      markdown,
      contentType: mediaType(contentType),
      bytes: bytes.byteLength,
      redirects,
    };
  }

  /** robots.txt through the same guard, following its redirects (RFC 9309: at least five). */
  private async fetchRobots(robotsUrl: string): Promise<{ status: number; text: string }> {
    const deadline = AbortSignal.timeout(Math.min(this.limits.timeoutMs, ROBOTS_TIMEOUT_MS));
    let current = parseTarget(robotsUrl);
    try {
      for (let hop = 0; ; hop += 1) {
        const response = await this.get(current, deadline);
        if (REDIRECTS.has(response.status) && response.headers.has("location") && hop < 5) {
          await response.body?.cancel().catch(() => {});
          current = parseTarget(new URL(response.headers.get("location") as string, current).href);
          continue;
        }
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          return { status: response.status, text: "" };
        }
        const bytes = await readLimited(response, current.href, ROBOTS_MAX_BYTES, { truncate: true });
        return { status: response.status, text: new TextDecoder("utf-8").decode(bytes) };
      }
    } catch (error) {
      throw failure(error, current.href, deadline, undefined, ROBOTS_TIMEOUT_MS);
    }
  }
}

/** An absolute http(s) URL without credentials, its fragment dropped; anything else is refused. */
export function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new WebFetchError("invalid_url", raw, `not a URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new WebFetchError(
      "unsupported_scheme",
      raw,
      `only http and https pages are fetched (${url.protocol})`,
      {
        params: { scheme: url.protocol.replace(/:$/, "") },
      },
    );
  if (url.username || url.password)
    throw new WebFetchError("credentials_in_url", raw, "URLs with a user name or password are not fetched");
  url.hash = "";
  return url;
}

/** Any failure of a fetch as a WebFetchError naming the URL it happened at. */
function failure(
  error: unknown,
  url: string,
  deadline: AbortSignal,
  caller: AbortSignal | undefined,
  timeoutMs: number,
): WebFetchError {
  if (isWebFetchError(error)) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (isWebFetchError(cause))
    return new WebFetchError(cause.code, url, cause.message, { params: cause.params, cause });
  if (caller?.aborted) return new WebFetchError("aborted", url, "the step was stopped", { cause: error });
  if (deadline.aborted)
    return new WebFetchError("timeout", url, `no complete answer within ${timeoutMs} ms`, {
      params: { ms: timeoutMs },
      cause: error,
    });
  const code = (cause as { code?: unknown } | undefined)?.code;
  const detail = typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
  return new WebFetchError("network", url, `could not reach the server (${detail})`, {
    params: { detail },
    cause: error,
  });
}
