/**
 * Failures the emulator puts into its next answers on one route (by template, e.g.
 * `POST /channels/:id/messages`): any status with Discord's error JSON, or a 429 carrying `retry_after`
 * and the X-RateLimit-* headers @discordjs/rest reads. Each fault is used up after `times` calls, so a
 * test states exactly how many calls fail.
 */
export interface FaultSpec {
  status: number;
  /** Default: Discord's body for the status ({code, message}, or the rate-limit body for 429). */
  body?: Record<string, unknown>;
  /** Seconds, for 429 (default 1). */
  retryAfter?: number;
  /** A 429 that applies to every route (X-RateLimit-Global). */
  global?: boolean;
  /** Answer after this long (also for a fault with status 0: only the delay, then the normal answer). */
  delayMs?: number;
  /** How many calls fail (default 1). */
  times?: number;
  /** How many calls succeed first (default 0). */
  after?: number;
}

export interface FaultReply {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  delayMs: number;
  /** Status 0: only delay, then handle normally. */
  passThrough: boolean;
}

interface Armed {
  spec: FaultSpec;
  remaining: number;
  skip: number;
}

const DEFAULT_BODIES: Record<number, Record<string, unknown>> = {
  400: { code: 50035, message: "Invalid Form Body", errors: {} },
  401: { code: 0, message: "401: Unauthorized" },
  403: { code: 50013, message: "Missing Permissions" },
  404: { code: 0, message: "404: Not Found" },
  500: { code: 0, message: "500: Internal Server Error" },
  502: { code: 0, message: "502: Bad Gateway" },
  503: { code: 0, message: "503: Service Unavailable" },
};

export class FaultPlan {
  private readonly byRoute = new Map<string, Armed[]>();

  add(route: string, spec: FaultSpec): void {
    const queue = this.byRoute.get(route) ?? [];
    queue.push({ spec, remaining: Math.max(1, spec.times ?? 1), skip: Math.max(0, spec.after ?? 0) });
    this.byRoute.set(route, queue);
  }

  /** Takes the next armed fault for `route`, if any. */
  take(route: string): FaultReply | undefined {
    const queue = this.byRoute.get(route);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    if (head.skip > 0) {
      head.skip -= 1;
      return undefined;
    }
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return reply(route, head.spec);
  }

  clear(): void {
    this.byRoute.clear();
  }
}

function reply(route: string, spec: FaultSpec): FaultReply {
  const delayMs = spec.delayMs ?? 0;
  if (spec.status === 0) return { status: 0, body: {}, headers: {}, delayMs, passThrough: true };
  if (spec.status !== 429) {
    const body = spec.body ?? DEFAULT_BODIES[spec.status] ?? { code: 0, message: `${spec.status}: Emulated` };
    return { status: spec.status, body, headers: {}, delayMs, passThrough: false };
  }
  const retryAfter = spec.retryAfter ?? 1;
  const global = spec.global ?? false;
  const headers: Record<string, string> = {
    "retry-after": String(retryAfter),
    "x-ratelimit-limit": "5",
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": String(Date.now() / 1000 + retryAfter),
    "x-ratelimit-reset-after": String(retryAfter),
    "x-ratelimit-bucket": `emulator-${Buffer.from(route).toString("hex").slice(0, 16)}`,
    "x-ratelimit-scope": global ? "global" : "user",
  };
  if (global) headers["x-ratelimit-global"] = "true";
  const body = spec.body ?? { message: "You are being rate limited.", retry_after: retryAfter, global };
  return { status: 429, body, headers, delayMs, passThrough: false };
}
