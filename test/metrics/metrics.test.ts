import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpHost } from "../../src/adapters/http/index.js";
import { createMetrics } from "../../src/metrics/index.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";

describe.each(DATABASE_KINDS)("Prometheus metrics on %s", (kind) => {
  let store: TestStore;
  let host: HttpHost | undefined;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
    await store.destroy();
  });

  const rate = (rater: string, rating: "up" | "down", platform = "slack", runId = "run_a") =>
    store.feedback.rate({ runId, threadId: `${platform}:x:y:1`, platform, rater, rating });

  it("counts ratings by platform and 👍/👎 as the store holds them, served at GET /metrics", async () => {
    await rate("alice", "up");
    await rate("bob", "up");
    await rate("carol", "down");
    await rate("alice", "down", "discord", "run_b");
    // A changed rating moves between the counts; it is never counted twice.
    await rate("bob", "down");
    const metrics = createMetrics({ feedback: () => store.feedback.countsByRating() });
    host = new HttpHost({ host: "127.0.0.1", port: 0, logger: pino({ level: "silent" }), metrics });
    await host.listen();

    const response = await fetch(`${host.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    const sample = (labels: string) =>
      Number(new RegExp(`^octo_feedback_ratings\\{${labels}\\} (\\d+)$`, "m").exec(text)?.[1]);
    expect(sample('platform="slack",rating="up"')).toBe(1);
    expect(sample('platform="slack",rating="down"')).toBe(2);
    expect(sample('platform="discord",rating="down"')).toBe(1);
    expect(text).not.toContain('platform="discord",rating="up"');
    // Process metrics come with the octo_ prefix.
    expect(text).toMatch(/^octo_process_resident_memory_bytes \d+/m);
  });
});
