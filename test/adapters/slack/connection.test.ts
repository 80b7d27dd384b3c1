import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/metrics/index.js";
import { ALICE, GENERAL, SlackHarness } from "./harness.js";

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What /readyz and /metrics learn from the Slack adapter: its socket's state and how fast it acks. */
describe("the Slack adapter's connection and acknowledgement figures", () => {
  const metrics = createMetrics({ feedback: async () => [] });
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start({ transport: "socket", metrics });
  });
  afterAll(() => h?.close());

  const acks = async () =>
    (await metrics.registry.getMetricsAsJSON())
      .find((m) => m.name === "octo_ack_latency_seconds")
      ?.values.find(
        (v) =>
          (v as { metricName?: string }).metricName === "octo_ack_latency_seconds_count" &&
          v.labels.platform === "slack",
      )?.value ?? 0;

  it("reports Socket Mode up once connected, down while it reconnects, up again after", async () => {
    expect(h.adapter.connection?.()).toEqual({ up: true });
    const states: boolean[] = [];
    const watch = setInterval(() => states.push(h.adapter.connection?.().up ?? false), 1);
    try {
      h.emulator.socketMode.requestReconnect();
      await until(
        "the socket reconnected",
        () => h.emulator.callsOf("apps.connections.open").length === 2,
        10_000,
      );
      await until("the adapter reported it", () => h.adapter.connection?.().up === true, 10_000);
    } finally {
      clearInterval(watch);
    }
    expect(states).toContain(false);
  });

  it("counts the time from each envelope's arrival to its acknowledgement", async () => {
    const before = await acks();
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for kelp" });
    await h.delivery.event(mention.body);
    await h.delivery.command(h.emulator.payloads.command({ user: ALICE, channel: GENERAL, text: "help" }));
    expect(await acks()).toBe(before + 2);
    await h.idle();
  });

  it("reports the adapter down once it stopped", async () => {
    await h.adapter.stop();
    expect(h.adapter.connection?.()).toEqual({ up: false, reason: "Slack adapter not started" });
  });
});
