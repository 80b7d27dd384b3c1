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
}

export class FaultPlan {
  private readonly byMethod = new Map<string, Armed[]>();

  rateLimit(method: string, options: { retryAfterSeconds?: number; times?: number } = {}): void {
    this.add(
      method,
      { kind: "rate_limited", retryAfterSeconds: options.retryAfterSeconds ?? 1 },
      options.times,
    );
  }

  error(method: string, error: string, options: { times?: number } = {}): void {
    this.add(method, { kind: "error", error }, options.times);
  }

  delay(method: string, ms: number, options: { times?: number } = {}): void {
    this.add(method, { kind: "delay", ms }, options.times);
  }

  /** Takes the next armed fault for `method`, if any. */
  take(method: string): Fault | undefined {
    const queue = this.byMethod.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  clear(): void {
    this.byMethod.clear();
  }

  private add(method: string, fault: Fault, times = 1): void {
    const queue = this.byMethod.get(method) ?? [];
    queue.push({ fault, remaining: Math.max(1, times) });
    this.byMethod.set(method, queue);
  }
}
