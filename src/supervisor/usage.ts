import type { LlmUsage } from "../llm/types.js";
import { EMPTY_USAGE } from "./state.js";
import type { LlmUsageTotals } from "./types.js";

/** Collects the usage a node's model calls report, for the state's `usage` and the step's record. */
export function usageMeter() {
  let totals: LlmUsageTotals = { ...EMPTY_USAGE };
  return {
    onUsage(usage: LlmUsage) {
      totals = {
        calls: totals.calls + 1,
        cached_calls: totals.cached_calls + (usage.cached ? 1 : 0),
        input_tokens: totals.input_tokens + usage.inputTokens,
        output_tokens: totals.output_tokens + usage.outputTokens,
        llm_ms: totals.llm_ms + usage.latencyMs,
      };
    },
    get totals(): LlmUsageTotals {
      return totals;
    },
  };
}
