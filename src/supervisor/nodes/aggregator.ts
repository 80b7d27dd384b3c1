import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { t } from "../../i18n/index.js";
import { errorMessage, type Locale } from "../../vocabulary/index.js";
import { reportProgress } from "../progress.js";
import type { SupervisorStateType, SupervisorUpdate } from "../state.js";
import { type AggregatedData, AggregatedDataSchema, type StepResult } from "../types.js";
import { usageMeter } from "../usage.js";
import type { SupervisorDeps } from "./deps.js";

const SynthesisSchema = z.object({
  final_answer: z.string().min(1).describe("The answer to the user's request, built from the step results"),
  insights: z
    .array(
      z.object({
        category: z.string().describe("recommendation, risk, observation or next_step"),
        description: z.string(),
        importance: z.number().min(0).max(1),
      }),
    )
    .max(5),
});
type Synthesis = z.infer<typeof SynthesisSchema>;

const LANGUAGE: Record<Locale, string> = { en: "English", ko: "Korean (한국어)" };

/** Per-step text the synthesis prompt may use; keeps small models inside their context. */
const RESULT_BUDGET = 1_500;

/**
 * Builds the seed's `aggregated_data`: counts and steps from the recorded results, the final answer and
 * insights from one model call. If that call fails the results are still real, so the answer falls back to
 * them verbatim rather than failing the turn.
 */
export function aggregatorNode(deps: SupervisorDeps) {
  return async (state: SupervisorStateType, config?: LangGraphRunnableConfig): Promise<SupervisorUpdate> => {
    reportProgress(config, { kind: "node_started", node: "aggregator" });
    const turn = state.turn;
    if (!turn) throw new Error("aggregator ran without a turn");
    const results = orderedResults(state);
    const completed = results.filter((r) => r.status === "completed");
    const meter = usageMeter();
    let synthesis: Synthesis;
    if (completed.length === 0) {
      synthesis = { final_answer: t(turn.locale, "answer.no_steps"), insights: [] };
    } else {
      try {
        synthesis = await deps.llm.structured(
          [
            {
              role: "system",
              content: [
                "You combine the results of an assistant's agents into one answer for the user.",
                `Write in ${LANGUAGE[turn.locale]}. Use only the results given; mention briefly what failed, if anything.`,
                "Also give up to three short insights (recommendations, risks, next steps) with an importance from 0 to 1.",
              ].join(" "),
            },
            {
              role: "user",
              content: [
                `Request: ${turn.request}`,
                ...results.map(
                  (r) => `Step ${r.step_id} (${r.agent}, ${r.status}): ${r.result.slice(0, RESULT_BUDGET)}`,
                ),
              ].join("\n"),
            },
          ],
          SynthesisSchema,
          {
            purpose: "aggregate",
            schemaName: "synthesis",
            signal: config?.signal,
            onUsage: meter.onUsage,
            context: { request: turn.request, locale: turn.locale, results: completed },
          },
        );
      } catch (error) {
        // An abandoned run stops; answering with raw results is for a model that failed, not a shutdown.
        if (config?.signal?.aborted) throw error;
        deps.logger.warn(
          { err: error, detail: errorMessage(error) },
          "synthesis failed; answering with the raw results",
        );
        synthesis = fallbackSynthesis(completed, turn.locale);
      }
    }
    const elapsed = (Date.now() - new Date(turn.started_at).getTime()) / 1000;
    const aggregated: AggregatedData = AggregatedDataSchema.parse({
      final_answer: synthesis.final_answer.trim(),
      execution_summary: {
        total_steps: results.length,
        completed_steps: completed.length,
        failed_steps: results.filter((r) => r.status === "failed").length,
        hitl_interactions: results.filter((r) => r.approval).length,
        execution_time: Math.round(Math.max(0, elapsed) * 100) / 100,
      },
      insights: [...synthesis.insights].sort((a, b) => b.importance - a.importance),
      steps: results.map((r) => ({
        step_id: r.step_id,
        agent: r.agent,
        description: r.description,
        status: r.status,
        result: r.result,
        confidence: r.confidence,
      })),
    });
    return { aggregated_data: aggregated, usage: meter.totals };
  };
}

export function orderedResults(state: Pick<SupervisorStateType, "step_results">): StepResult[] {
  return Object.values(state.step_results).sort((a, b) => a.step_id - b.step_id);
}

function fallbackSynthesis(completed: readonly StepResult[], locale: Locale): Synthesis {
  const body = completed.map((r) => `**${r.step_id}. ${r.agent}** — ${r.result}`).join("\n\n");
  return {
    final_answer: `${t(locale, "answer.partial_prefix")}\n\n${body}`,
    insights: [],
  };
}
