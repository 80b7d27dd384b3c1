import { collectDefaultMetrics, Gauge, Registry } from "prom-client";

/** Ratings by platform and 👍/👎, as the store counts them (FeedbackStore.countsByRating). */
export type FeedbackCounts = () => Promise<readonly { platform: string; rating: string; count: number }[]>;

export interface MetricsSources {
  feedback: FeedbackCounts;
}

/**
 * The process's Prometheus registry (prom-client, `octo_` prefix): process metrics, plus figures read
 * from the store at scrape time, so they stay true across restarts and every replica reports the same
 * totals (aggregate them with `max`, not `sum`).
 */
export function createMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "octo_" });
  new Gauge({
    name: "octo_feedback_ratings",
    help: "Ratings people gave answers (one per person and answer), by platform and rating",
    labelNames: ["platform", "rating"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { platform, rating, count } of await sources.feedback())
        this.set({ platform, rating }, count);
    },
  });
  return registry;
}
