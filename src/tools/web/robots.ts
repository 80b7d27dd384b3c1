import robotsParserModule from "robots-parser";
import { WebFetchError } from "./errors.js";

/** What a site's robots.txt says, reduced to the one question asked of it. */
interface RobotsRules {
  allows(url: string): boolean;
  /** The status that made the whole site off limits (5xx, 429). */
  status?: number;
}

// The package is CommonJS (`module.exports = fn`) while its types declare an ES default export.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

const ALLOW_ALL: RobotsRules = { allows: () => true };

/** Fetches a robots.txt under its own deadline: one fetch serves every caller waiting for it. */
export type FetchRobots = (robotsUrl: string) => Promise<{ status: number; text: string }>;

const TTL_MS = 60 * 60 * 1000;
/** A site that answered with an error is asked again sooner. */
const ERROR_TTL_MS = 5 * 60 * 1000;
const MAX_ORIGINS = 500;

/**
 * robots.txt per origin, fetched once and kept for an hour (RFC 9309: not longer than a day); parallel
 * fetches of one site share one request. 4xx means no rules; 5xx and 429 disallow the whole site for a
 * while, as the RFC asks; a robots.txt that cannot be reached at all fails the way the page would, and
 * is asked for again next time.
 */
export class RobotsCache {
  private readonly entries = new Map<string, { expires: number; rules: Promise<RobotsRules> }>();

  constructor(
    private readonly userAgent: string,
    private readonly fetchRobots: FetchRobots,
  ) {}

  /** Throws `robots_disallowed` when the site's robots.txt keeps us from `url`. */
  async check(url: URL, signal: AbortSignal): Promise<void> {
    const rules = await untilAborted(this.rulesFor(url.origin), signal);
    if (rules.allows(url.href)) return;
    throw new WebFetchError(
      "robots_disallowed",
      url.href,
      `robots.txt of ${url.origin} disallows ${url.pathname}`,
      { params: { origin: url.origin, ...(rules.status ? { status: rules.status } : {}) } },
    );
  }

  private rulesFor(origin: string): Promise<RobotsRules> {
    const now = Date.now();
    const cached = this.entries.get(origin);
    if (cached && cached.expires > now) return cached.rules;
    const robotsUrl = `${origin}/robots.txt`;
    const entry: { expires: number; rules: Promise<RobotsRules> } = {
      expires: now + TTL_MS,
      rules: this.fetchRobots(robotsUrl).then(({ status, text }): RobotsRules => {
        if (status >= 200 && status < 300) {
          const parsed = robotsParser(robotsUrl, text);
          return { allows: (url) => parsed.isAllowed(url, this.userAgent) !== false };
        }
        if (status === 429 || status >= 500) {
          entry.expires = Date.now() + ERROR_TTL_MS;
          return { allows: () => false, status };
        }
        return ALLOW_ALL;
      }),
    };
    entry.rules.catch(() => {
      if (this.entries.get(origin) === entry) this.entries.delete(origin);
    });
    this.entries.delete(origin);
    this.entries.set(origin, entry);
    if (this.entries.size > MAX_ORIGINS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry.rules;
  }
}

/** The promise's outcome, or the signal's reason as soon as it aborts (the promise goes on for others). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
