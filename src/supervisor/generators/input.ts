import type { Locale } from "../../vocabulary/index.js";
import type { AggregatedData, StepResult } from "../types.js";

/** What every generator reads: the seed's aggregated data plus the detail the richer formats draw. */
export interface GeneratorInput {
  data: AggregatedData;
  request: string;
  locale: Locale;
  /** Ordered by step id; carries dependencies and timings. */
  stepResults: StepResult[];
  generatedAt: Date;
}

export const STATUS_COLORS: Record<string, string> = {
  completed: "#4CAF50",
  failed: "#F44336",
  skipped: "#9E9E9E",
};

export const STATUS_ICONS: Record<string, string> = {
  completed: "✅",
  failed: "❌",
  skipped: "⏭️",
};

export const AGENT_ICONS: Record<string, string> = {
  search: "🔍",
  web: "🌐",
  contract: "📝",
  code: "💻",
  data: "📊",
};

export function agentIcon(agent: string): string {
  return AGENT_ICONS[agent] ?? "🤖";
}

export function skippedCount(data: AggregatedData): number {
  return data.steps.filter((step) => step.status === "skipped").length;
}

export function percent(part: number, total: number): string {
  return total === 0 ? "0.0%" : `${((part / total) * 100).toFixed(1)}%`;
}
