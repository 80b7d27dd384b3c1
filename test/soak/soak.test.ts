import { describe, expect, it } from "vitest";
import { runSoak } from "../../bench/soak.js";

/**
 * The short version of `npm run soak` (50 threads x 5 minutes, run by hand): 10 threads x 15 s through
 * the Slack emulator with the model scripted. Every conversation must end with its answer, and the
 * adapter's per-person memory must stop growing at its cap (lowered here so it is reached); sizes are
 * asserted, never timings.
 */
describe("Slack soak", () => {
  it("answers every conversation and keeps its per-person memory bounded", { timeout: 120_000 }, async () => {
    const capacity = 10;
    const report = await runSoak({
      seconds: 15,
      threads: 10,
      userLocalesCapacity: capacity,
      answerTimeoutMs: 60_000,
    });
    expect(report.errorSamples).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.completed).toBeGreaterThan(capacity);
    expect(report.people).toBeGreaterThan(capacity);
    expect(report.bookkeeping).toEqual({ userLocales: capacity, deliveriesInFlight: 0 });
  });
});
