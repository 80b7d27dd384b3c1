/**
 * Everything that reached the emulator, in arrival order, with bounded waits for what has not happened
 * yet: a test expecting a call that never comes fails with the list of what did arrive instead of hanging.
 * One recorder holds REST calls (keyed by route template), another the gateway frames the bot sent
 * (keyed by opcode name).
 */
export interface Recorded {
  seq: number;
  at: number;
}

export const DEFAULT_WAIT_MS = 10_000;

interface Waiter<T> {
  key: string;
  predicate: (entry: T) => boolean;
  skip: number;
  resolve: (entry: T) => void;
}

export class Recorder<T extends Recorded> {
  readonly entries: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private seq = 0;

  constructor(
    private readonly keyOf: (entry: T) => string,
    /** How one entry reads in a timeout's message. */
    private readonly describe: (entry: T) => string,
    private readonly what: string,
  ) {}

  record(entry: Omit<T, "seq" | "at">): T {
    const recorded = { ...entry, seq: ++this.seq, at: Date.now() } as T;
    this.entries.push(recorded);
    const key = this.keyOf(recorded);
    for (const waiter of [...this.waiters]) {
      if (waiter.key !== key || !waiter.predicate(recorded)) continue;
      if (waiter.skip > 0) {
        waiter.skip -= 1;
        continue;
      }
      this.waiters.delete(waiter);
      waiter.resolve(recorded);
    }
    return recorded;
  }

  of(key: string, predicate: (entry: T) => boolean = () => true): T[] {
    return this.entries.filter((entry) => this.keyOf(entry) === key && predicate(entry));
  }

  /** The `nth` (1-based) entry under `key` matching `predicate`, recorded already or later; rejects after `timeoutMs`. */
  waitFor(
    key: string,
    predicate: (entry: T) => boolean = () => true,
    options: { nth?: number; timeoutMs?: number } = {},
  ): Promise<T> {
    const nth = options.nth ?? 1;
    const seen = this.of(key, predicate);
    const already = seen[nth - 1];
    if (already) return Promise.resolve(already);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        key,
        predicate,
        skip: nth - 1 - seen.length,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const arrived = this.entries.map(this.describe).join(", ");
        reject(
          new Error(
            `no ${this.what} #${nth} of ${key} matched within ${timeoutMs} ms; recorded: ${arrived || "(none)"}`,
          ),
        );
      }, timeoutMs);
      timer.unref?.();
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.entries.length = 0;
  }
}
