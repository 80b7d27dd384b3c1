/**
 * Every Web API call the emulator answered, in arrival order, with a way to wait for one that has not
 * happened yet. Waits are bounded so a test that expects a call which never comes fails with a list of
 * what did arrive instead of hanging.
 */
export interface RecordedCall {
  seq: number;
  method: string;
  /** Parsed arguments: form fields, with JSON-valued fields (blocks, view, files ...) decoded. */
  params: Record<string, unknown>;
  /** Which credential came with the call; tokens themselves are not kept. */
  auth: "bot" | "app" | "none" | "invalid";
  status: number;
  response: Record<string, unknown>;
  at: number;
}

export type CallPredicate = (call: RecordedCall) => boolean;

interface Waiter {
  method: string;
  predicate: CallPredicate;
  skip: number;
  resolve: (call: RecordedCall) => void;
}

export const DEFAULT_WAIT_MS = 15_000;

export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  private readonly byMethod = new Map<string, RecordedCall[]>();
  private readonly waiters = new Set<Waiter>();
  private seq = 0;

  record(call: Omit<RecordedCall, "seq" | "at">): RecordedCall {
    const recorded: RecordedCall = { ...call, seq: ++this.seq, at: Date.now() };
    this.calls.push(recorded);
    const same = this.byMethod.get(recorded.method) ?? [];
    same.push(recorded);
    this.byMethod.set(recorded.method, same);
    for (const waiter of [...this.waiters]) {
      if (waiter.method !== recorded.method || !waiter.predicate(recorded)) continue;
      if (waiter.skip > 0) {
        waiter.skip -= 1;
        continue;
      }
      this.waiters.delete(waiter);
      waiter.resolve(recorded);
    }
    return recorded;
  }

  of(method: string, predicate: CallPredicate = () => true): RecordedCall[] {
    return (this.byMethod.get(method) ?? []).filter(predicate);
  }

  /**
   * Resolves with the `nth` (1-based) call of `method` matching `predicate`, recorded already or later;
   * rejects after `timeoutMs`.
   */
  waitFor(
    method: string,
    predicate: CallPredicate = () => true,
    options: { nth?: number; timeoutMs?: number } = {},
  ): Promise<RecordedCall> {
    const nth = options.nth ?? 1;
    const seen = this.of(method, predicate);
    const already = seen[nth - 1];
    if (already) return Promise.resolve(already);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate,
        skip: nth - 1 - seen.length,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const methods = this.calls.map((call) => `${call.method}${call.response.ok ? "" : "!"}`).join(", ");
        reject(
          new Error(
            `no call #${nth} of ${method} matched within ${timeoutMs} ms; recorded: ${methods || "(none)"}`,
          ),
        );
      }, timeoutMs);
      timer.unref?.();
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.calls.length = 0;
    this.byMethod.clear();
  }
}
