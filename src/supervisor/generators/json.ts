import type { JsonResult } from "../types.js";
import type { GeneratorInput } from "./input.js";

/** The seed's json generator: summary, steps, insights and metrics. */
export function generateJson({ data }: GeneratorInput): JsonResult {
  return {
    summary: data.final_answer,
    steps: data.steps,
    insights: data.insights,
    metrics: data.execution_summary,
  };
}
