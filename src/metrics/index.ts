export { type MetricsRecorder, NO_METRICS, type RunOutcomeLabel, secondsSince } from "./recorder.js";
export { createMetrics, type FeedbackCounts, type MetricsSources, OctoMetrics } from "./registry.js";
