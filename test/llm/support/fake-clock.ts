import type { PolicyClock } from "../../../src/llm/policy.js";

/**
 * A clock for the request policy that never waits: `sleep` moves time forward at once and records the
 * wait, deadlines fire when time passes them or when the test calls `expire()`. Tests then assert what
 * happened in which order and how often, not how long it took.
 */
export interface FakeClock extends PolicyClock {
  readonly sleeps: number[];
  /** Fires every deadline handed out so far, as if the time allowed had run out. */
  expire(): void;
}

export function fakeClock(start = 1_000_000): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  const deadlines: { at: number; controller: AbortController }[] = [];
  const fire = (all: boolean) => {
    for (const deadline of deadlines) {
      if ((all || deadline.at <= now) && !deadline.controller.signal.aborted)
        deadline.controller.abort(new DOMException("deadline", "TimeoutError"));
    }
  };
  return {
    sleeps,
    now: () => now,
    async sleep(ms, signal) {
      if (signal.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
      fire(false);
      if (signal.aborted) throw signal.reason;
    },
    deadline(ms) {
      const controller = new AbortController();
      deadlines.push({ at: now + ms, controller });
      return controller.signal;
    },
    expire: () => fire(true),
  };
}
