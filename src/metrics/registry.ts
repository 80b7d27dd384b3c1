import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { MetricsRecorder, RunOutcomeLabel } from "./recorder.js";

/** Ratings by platform and 👍/👎, as the store counts them (FeedbackStore.countsByRating). */
export type FeedbackCounts = () => Promise<readonly { platform: string; rating: string; count: number }[]>;

export interface MetricsSources {
  feedback: FeedbackCounts;
  /** Jobs in the durable queue, waiting or running, on every replica (JobQueue.backlog). */
  queueDepth?: (() => Promise<number>) | undefined;
}

/** Steps and model calls take from tens of milliseconds (a cache hit) to minutes (a slow local model). */
const SLOW_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Acks have to be well under Slack's and Discord's 3 s. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];

/**
 * The process's Prometheus registry (prom-client, `octo_` prefix) and the recorder that feeds it:
 * process metrics; counters and histograms of what this process did (sum them over replicas); and
 * figures read from the store at scrape time (feedback, queue depth), true across restarts and the same
 * on every replica (aggregate those with `max`, not `sum`). One per process, or per test.
 */
export class OctoMetrics implements MetricsRecorder {
  readonly registry = new Registry();
  private readonly runsStarted;
  private readonly runsEnded;
  private readonly steps;
  private readonly approvalsAsked;
  private readonly approvalsDecidedTotal;
  private readonly approvalsExpiredTotal;
  private readonly llmCalls;
  private readonly llmLatency;
  private readonly llmTokensTotal;
  private readonly llmCacheHits;
  private readonly queueWait;
  private readonly ackLatency;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "octo_" });
    this.runsStarted = new Counter({
      name: "octo_runs_started_total",
      help: "Runs of new turns started, by platform and output format",
      labelNames: ["platform", "format"] as const,
      registers,
    });
    this.runsEnded = new Counter({
      name: "octo_runs_ended_total",
      help: "Runs that stopped, by platform, output format and outcome (completed, failed, paused for approval)",
      labelNames: ["platform", "format", "outcome"] as const,
      registers,
    });
    this.steps = new Histogram({
      name: "octo_step_duration_seconds",
      help: "Plan steps' duration (their last attempt), by agent and outcome",
      labelNames: ["agent", "outcome"] as const,
      buckets: SLOW_BUCKETS,
      registers,
    });
    this.approvalsAsked = new Counter({
      name: "octo_approvals_requested_total",
      help: "Approvals asked of a human, by agent",
      labelNames: ["agent"] as const,
      registers,
    });
    this.approvalsDecidedTotal = new Counter({
      name: "octo_approvals_decided_total",
      help: "Approvals decided by a person, by decision (approve, reject, edit)",
      labelNames: ["decision"] as const,
      registers,
    });
    this.approvalsExpiredTotal = new Counter({
      name: "octo_approvals_expired_total",
      help: "Approvals nobody decided before they expired (counted as rejected)",
      registers,
    });
    this.llmCalls = new Counter({
      name: "octo_llm_calls_total",
      help: "Model requests (cache hits included), by provider and outcome",
      labelNames: ["provider", "outcome"] as const,
      registers,
    });
    this.llmLatency = new Histogram({
      name: "octo_llm_latency_seconds",
      help: "Model requests' latency, retries included, by provider",
      labelNames: ["provider"] as const,
      buckets: SLOW_BUCKETS,
      registers,
    });
    this.llmTokensTotal = new Counter({
      name: "octo_llm_tokens_total",
      help: "Tokens the model read (prompt) and wrote (completion), by provider; cache hits count none",
      labelNames: ["provider", "kind"] as const,
      registers,
    });
    this.llmCacheHits = new Counter({
      name: "octo_llm_cache_hits_total",
      help: "Model requests answered from the response cache, by provider",
      labelNames: ["provider"] as const,
      registers,
    });
    this.queueWait = new Histogram({
      name: "octo_queue_wait_seconds",
      help: "How long jobs waited in the durable queue before this process took them, by job kind",
      labelNames: ["kind"] as const,
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.ackLatency = new Histogram({
      name: "octo_ack_latency_seconds",
      help: "Time from receiving a platform event to acknowledging it, by platform",
      labelNames: ["platform"] as const,
      buckets: ACK_BUCKETS,
      registers,
    });
    new Gauge({
      name: "octo_feedback_ratings",
      help: "Ratings people gave answers (one per person and answer), by platform and rating",
      labelNames: ["platform", "rating"] as const,
      registers,
      async collect() {
        this.reset();
        for (const { platform, rating, count } of await sources.feedback())
          this.set({ platform, rating }, count);
      },
    });
    const { queueDepth } = sources;
    if (queueDepth)
      new Gauge({
        name: "octo_queue_depth",
        help: "Jobs in the durable queue, waiting or running, on every replica",
        registers,
        async collect() {
          this.set(await queueDepth());
        },
      });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The scrape, in Prometheus' text format. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  runStarted(labels: { platform: string; format: string }): void {
    this.runsStarted.inc(labels);
  }

  runEnded(labels: { platform: string; format: string; outcome: RunOutcomeLabel }): void {
    this.runsEnded.inc(labels);
  }

  stepFinished(labels: { agent: string; outcome: string }, seconds: number): void {
    this.steps.observe(labels, seconds);
  }

  approvalRequested(labels: { agent: string }): void {
    this.approvalsAsked.inc(labels);
  }

  approvalDecided(labels: { decision: string }): void {
    this.approvalsDecidedTotal.inc(labels);
  }

  approvalsExpired(count: number): void {
    if (count > 0) this.approvalsExpiredTotal.inc(count);
  }

  llmCall(labels: { provider: string; outcome: "ok" | "error" }, seconds: number): void {
    this.llmCalls.inc(labels);
    this.llmLatency.observe({ provider: labels.provider }, seconds);
  }

  llmTokens(labels: { provider: string; kind: "prompt" | "completion" }, count: number): void {
    if (count > 0) this.llmTokensTotal.inc(labels, count);
  }

  llmCacheHit(labels: { provider: string }): void {
    this.llmCacheHits.inc(labels);
  }

  jobWaited(labels: { kind: string }, seconds: number): void {
    this.queueWait.observe(labels, seconds);
  }

  acked(labels: { platform: string }, seconds: number): void {
    this.ackLatency.observe(labels, seconds);
  }
}

export function createMetrics(sources: MetricsSources): OctoMetrics {
  return new OctoMetrics(sources);
}
