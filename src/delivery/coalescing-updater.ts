/**
 * Keeps one message up to date without flooding the platform: updates are coalesced (only the newest state is
 * ever sent), at most one call is in flight, and calls are spaced by `minIntervalMs`. A rate limit inside
 * `send` is waited out by the platform client (Slack's honours Retry-After), during which newer states
 * simply replace the pending one.
 */
export interface CoalescingOptions {
  minIntervalMs: number;
  onError: (error: unknown) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class CoalescingUpdater<P> {
  private pending: P | undefined;
  private urgent = false;
  private active = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private readonly idleWaiters: (() => void)[] = [];
  /** Ends the spacing wait early: a final state or a discard does not wait it out. */
  private wake: (() => void) | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly send: (payload: P) => Promise<void>,
    private readonly options: CoalescingOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Schedules `payload` as the message's next state, replacing any state not sent yet. */
  push(payload: P): void {
    this.pending = payload;
    if (!this.active) {
      this.active = true;
      void this.drain();
    }
  }

  /** Counts a write made elsewhere (the message's first post) as a send, for the spacing. */
  markSent(): void {
    this.lastSentAt = this.now();
  }

  /** Sends `payload` without waiting out the spacing (a final state) and resolves once all is sent. */
  async finish(payload: P): Promise<void> {
    this.urgent = true;
    this.push(payload);
    this.wake?.();
    await this.settled();
  }

  /** Drops the state not sent yet (a final write replaces it) and resolves once nothing is in flight. */
  discard(): Promise<void> {
    this.pending = undefined;
    this.wake?.();
    return this.settled();
  }

  /** Resolves when nothing is pending or in flight. */
  settled(): Promise<void> {
    if (!this.active) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private spacing(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      void this.sleep(ms).then(resolve);
    }).finally(() => {
      this.wake = undefined;
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const wait = this.lastSentAt + this.options.minIntervalMs - this.now();
        if (wait > 0 && !this.urgent) await this.spacing(wait);
        // Discarded while waiting: a final write replaced it.
        if (this.pending === undefined) break;
        const payload = this.pending;
        this.pending = undefined;
        this.lastSentAt = this.now();
        try {
          await this.send(payload);
        } catch (error) {
          this.options.onError(error);
        }
      }
    } finally {
      // Reached synchronously after the loop's last check, so no push can slip in between.
      this.active = false;
      this.urgent = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
