/**
 * Failures the emulator injects into its next answers to one method: Slack's 429 with `Retry-After`, an
 * `ok: false` API error, or a delay. Each fault is used up after `times` calls, so a test states exactly
 * how many calls fail.
 */
export type Fault =
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "error"; error: string }
  | { kind: "delay"; ms: number };

interface Armed {
  fault: Fault;
  remaining: number;
  /** Calls to let through before the fault starts. */
  skip: number;
}

export interface FaultTiming {
  /** How many calls fail (default 1). */
  times?: number;
  /** How many calls succeed first (default 0). */
  after?: number;
}

export class FaultPlan {
  private readonly byMethod = new Map<string, Armed[]>();

  rateLimit(method: string, options: FaultTiming & { retryAfterSeconds?: number } = {}): void {
    this.add(method, { kind: "rate_limited", retryAfterSeconds: options.retryAfterSeconds ?? 1 }, options);
  }

  error(method: string, error: string, options: FaultTiming = {}): void {
    this.add(method, { kind: "error", error }, options);
  }

  delay(method: string, ms: number, options: FaultTiming = {}): void {
    this.add(method, { kind: "delay", ms }, options);
  }

  /** Takes the next armed fault for `method`, if any. */
  take(method: string): Fault | undefined {
    const queue = this.byMethod.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    if (head.skip > 0) {
      head.skip -= 1;
      return undefined;
    }
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  clear(): void {
    this.byMethod.clear();
  }

  private add(method: string, fault: Fault, timing: FaultTiming): void {
    const queue = this.byMethod.get(method) ?? [];
    queue.push({ fault, remaining: Math.max(1, timing.times ?? 1), skip: Math.max(0, timing.after ?? 0) });
    this.byMethod.set(method, queue);
  }
}
