import { describe, expect, it } from "vitest";
import { CoalescingUpdater } from "../../src/delivery/coalescing-updater.js";

/** A clock and sleep the test advances by hand, so spacing is checked without real time. */
function manualClock() {
  let now = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({ until: now + ms, wake })),
    async advance(ms: number) {
      now += ms;
      for (const sleeper of sleepers.splice(0)) {
        if (sleeper.until <= now) sleeper.wake();
        else sleepers.push(sleeper);
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe("CoalescingUpdater", () => {
  it("sends the first state at once, then only the newest state after the spacing", async () => {
    const clock = manualClock();
    const sent: number[] = [];
    const updater = new CoalescingUpdater<number>(async (n) => void sent.push(n), {
      minIntervalMs: 1000,
      onError: () => {},
      now: clock.now,
      sleep: clock.sleep,
    });
    updater.push(1);
    await clock.advance(0);
    updater.push(2);
    updater.push(3);
    updater.push(4);
    await clock.advance(500);
    expect(sent).toEqual([1]);
    await clock.advance(500);
    await updater.settled();
    expect(sent).toEqual([1, 4]);
  });

  it("sends a final state pushed during the spacing at once, without waiting the rest of it", async () => {
    const clock = manualClock();
    const sent: number[] = [];
    const updater = new CoalescingUpdater<number>(async (n) => void sent.push(n), {
      minIntervalMs: 60_000,
      onError: () => {},
      now: clock.now,
      sleep: clock.sleep,
    });
    updater.push(1);
    await clock.advance(0);
    updater.push(2);
    await clock.advance(10);
    await updater.finish(3);
    expect(sent).toEqual([1, 3]);
  });

  it("sends nothing for a state discarded while it waited out the spacing", async () => {
    const clock = manualClock();
    const sent: (number | undefined)[] = [];
    const errors: unknown[] = [];
    const updater = new CoalescingUpdater<number>(async (n) => void sent.push(n), {
      minIntervalMs: 1000,
      onError: (error) => errors.push(error),
      now: clock.now,
      sleep: clock.sleep,
    });
    updater.push(1);
    await clock.advance(0);
    updater.push(2);
    await clock.advance(100);
    const discarded = updater.discard();
    await clock.advance(900);
    await discarded;
    expect(sent).toEqual([1]);
    expect(errors).toEqual([]);
  });

  it("sends a final state without waiting out the spacing, after what is in flight", async () => {
    const clock = manualClock();
    const sent: string[] = [];
    let release = () => {};
    const updater = new CoalescingUpdater<string>(
      async (s) => {
        sent.push(`start ${s}`);
        if (s === "a") await new Promise<void>((resolve) => (release = resolve));
        sent.push(`end ${s}`);
      },
      { minIntervalMs: 60_000, onError: () => {}, now: clock.now, sleep: clock.sleep },
    );
    updater.push("a");
    updater.push("b");
    const finished = updater.finish("final");
    await clock.advance(0);
    release();
    await finished;
    expect(sent).toEqual(["start a", "end a", "start final", "end final"]);
  });

  it("keeps going after a failed send and reports it", async () => {
    const errors: unknown[] = [];
    const sent: number[] = [];
    const updater = new CoalescingUpdater<number>(
      async (n) => {
        if (n === 1) throw new Error("ratelimited");
        sent.push(n);
      },
      { minIntervalMs: 0, onError: (e) => errors.push(e) },
    );
    updater.push(1);
    await updater.settled();
    await updater.finish(2);
    expect(sent).toEqual([2]);
    expect(errors).toHaveLength(1);
  });
});
