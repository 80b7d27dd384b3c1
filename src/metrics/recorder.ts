/**
 * What the process counts, as events happen, without knowing where the counts go: the Prometheus
 * registry in production (see registry.ts), a fresh one per test, nothing at all by default. Every
 * label is a closed set (platforms, formats, agents, decisions, providers): never a thread, user or run
 * id, so a busy bot does not grow the scrape without bound.
 */
export interface MetricsRecorder {
  /** A new turn's run began (not a run carried on after a restart). */
  runStarted(labels: { platform: string; format: string }): void;
  /** A run stopped: with its answer, failed, or paused for a human's decision. */
  runEnded(labels: { platform: string; format: string; outcome: RunOutcomeLabel }): void;
  /** A plan step's last attempt ended. */
  stepFinished(labels: { agent: string; outcome: string }, seconds: number): void;
  approvalRequested(labels: { agent: string }): void;
  approvalDecided(labels: { decision: string }): void;
  /** Approvals nobody decided in time (they count as rejected). */
  approvalsExpired(count: number): void;
  /** One model request as the graph saw it, a cache hit included. */
  llmCall(labels: { provider: string; outcome: "ok" | "error" }, seconds: number): void;
  llmTokens(labels: { provider: string; kind: "prompt" | "completion" }, count: number): void;
  llmCacheHit(labels: { provider: string }): void;
  /** How long a job waited in the durable queue before a worker took it. */
  jobWaited(labels: { kind: string }, seconds: number): void;
  /** Time from receiving a platform event to acknowledging it. */
  acked(labels: { platform: string }, seconds: number): void;
}

export type RunOutcomeLabel = "completed" | "failed" | "paused";

/** Counts nothing: what every part uses when the process gave it no recorder. */
export const NO_METRICS: MetricsRecorder = {
  runStarted() {},
  runEnded() {},
  stepFinished() {},
  approvalRequested() {},
  approvalDecided() {},
  approvalsExpired() {},
  llmCall() {},
  llmTokens() {},
  llmCacheHit() {},
  jobWaited() {},
  acked() {},
};

/** Seconds since `startedMs` (a `performance.now()` reading): what the recorder's durations take. */
export function secondsSince(startedMs: number): number {
  return Math.max(0, (performance.now() - startedMs) / 1000);
}
