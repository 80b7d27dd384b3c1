export { createMetrics, type FeedbackCounts, type MetricsSources } from "./registry.js";
