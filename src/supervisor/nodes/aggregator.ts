import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { t } from "../../i18n/index.js";
import type { LlmUsage } from "../../llm/types.js";
import { clip, errorMessage, type Locale } from "../../vocabulary/index.js";
import { copyOf, degenerateReason } from "../answers/degenerate.js";
import { distinctInsights } from "../answers/insights.js";
import { reportProgress } from "../progress.js";
import type { SupervisorStateType, SupervisorUpdate, TurnInput } from "../state.js";
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
    const { results, repeats } = markRepeats(orderedResults(state));
    const completed = results.filter((r) => r.status === "completed");
    const usable = completed.filter((r) => !r.fallback);
    const meter = usageMeter();
    let synthesis: Synthesis;
    if (completed.length === 0) {
      synthesis = { final_answer: t(turn.locale, "answer.no_steps"), insights: [] };
    } else if (usable.length === 0) {
      // Nothing but honest notes to combine: a model call could only dress them up.
      synthesis = fallbackSynthesis(completed, turn.locale);
    } else {
      try {
        synthesis = await synthesize(deps, turn, results, usable, config?.signal, meter.onUsage);
      } catch (error) {
        // An abandoned run stops; answering with raw results is for a model that failed, not a shutdown.
        if (config?.signal?.aborted) throw error;
        deps.logger.warn(
          { err: error, detail: errorMessage(error) },
          "synthesis failed; answering with the raw results",
        );
        synthesis = fallbackSynthesis(usable, turn.locale);
      }
    }
    const elapsed = (Date.now() - new Date(turn.started_at).getTime()) / 1000;
    const aggregated: AggregatedData = AggregatedDataSchema.parse({
      final_answer: withSources(synthesis.final_answer.trim(), completed, turn.locale),
      execution_summary: {
        total_steps: results.length,
        completed_steps: completed.length,
        failed_steps: results.filter((r) => r.status === "failed").length,
        hitl_interactions: results.filter((r) => r.approval).length,
        execution_time: Math.round(Math.max(0, elapsed) * 100) / 100,
      },
      insights: distinctInsights(synthesis.insights, {
        locale: turn.locale,
        prompts: [turn.request],
        answer: synthesis.final_answer,
      }),
      steps: results.map((r) => ({
        step_id: r.step_id,
        agent: r.agent,
        description: r.description,
        status: r.status,
        result: r.result,
        confidence: answerConfidence(r),
      })),
    });
    return {
      aggregated_data: aggregated,
      ...(repeats.length > 0
        ? { step_results: Object.fromEntries(repeats.map((r) => [String(r.step_id), r])) }
        : {}),
      usage: meter.totals,
    };
  };
}

/**
 * The final answer from one model call, checked like an agent's: a degenerate synthesis is asked for
 * once more with a plainer prompt, then replaced by the usable step results themselves.
 */
async function synthesize(
  deps: SupervisorDeps,
  turn: TurnInput,
  results: readonly StepResult[],
  usable: readonly StepResult[],
  signal: AbortSignal | undefined,
  onUsage: (usage: LlmUsage) => void,
): Promise<Synthesis> {
  const stepLines = results.map(
    (r) =>
      `Step ${r.step_id} (${r.agent}, ${r.status}): ${r.fallback ? "(no usable answer)" : clip(r.result, RESULT_BUDGET, "")}`,
  );
  const ask = (system: string, retry: boolean) =>
    deps.llm.structured(
      [
        { role: "system", content: system },
        { role: "user", content: [`Request: ${turn.request}`, ...stepLines].join("\n") },
      ],
      SynthesisSchema,
      {
        purpose: retry ? "aggregate:retry" : "aggregate",
        schemaName: "synthesis",
        signal,
        onUsage,
        locale: turn.locale,
        ...(retry ? { temperature: 0.4 } : {}),
        context: { request: turn.request, locale: turn.locale, results: usable, ...(retry ? { retry } : {}) },
      },
    );
  const check = { locale: turn.locale, prompts: [turn.request] };
  const first = await ask(
    [
      "You combine the results of an assistant's agents into one answer for the user.",
      `Write in ${LANGUAGE[turn.locale]}. Use only the results given; mention briefly what failed, if anything.`,
      "Also give up to three short insights (recommendations, risks, next steps) with an importance from 0 to 1.",
    ].join(" "),
    false,
  );
  if (!degenerateReason(first.final_answer, check)) return first;
  const second = await ask(
    `Write the answer to the request in ${LANGUAGE[turn.locale]}, in full sentences, from the step results. Do not repeat the request.`,
    true,
  ).catch((error: unknown) => {
    if (signal?.aborted) throw error;
    return undefined;
  });
  if (second && !degenerateReason(second.final_answer, check)) return second;
  return fallbackSynthesis(usable, turn.locale);
}

/** How far a step's answer can be trusted: none for a fallback, less for a retried or repeated one. */
export function answerConfidence(result: StepResult): number {
  if (result.status !== "completed") return result.confidence;
  if (result.fallback) return 0;
  if (result.degenerate === "repeat") return Math.round(result.confidence * 50) / 100;
  if (result.degenerate) return Math.round(result.confidence * 60) / 100;
  return result.confidence;
}

/** A completed answer that copies an earlier step's answer is marked as a repeat. */
function markRepeats(results: readonly StepResult[]): { results: StepResult[]; repeats: StepResult[] } {
  const seen: string[] = [];
  const repeats: StepResult[] = [];
  const marked = results.map((r) => {
    if (r.status !== "completed" || r.fallback) return r;
    const repeat = seen.some((other) => copyOf(r.result, other));
    seen.push(r.result);
    if (!repeat || r.degenerate) return r;
    const copy = { ...r, degenerate: "repeat" };
    repeats.push(copy);
    return copy;
  });
  return { results: marked, repeats };
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

/** At most this many cited sources under an answer; the steps keep them all. */
const MAX_CITED = 8;

/**
 * The sources the completed steps cited (pages read, passages retrieved, tables loaded), listed under
 * the answer: a synthesis by the model rarely keeps them, and an answer people cannot check is one
 * they should not trust. Sources the answer already names are not repeated.
 */
function withSources(answer: string, completed: readonly StepResult[], locale: Locale): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const result of completed) {
    for (const source of result.sources ?? []) {
      const label =
        source.url && source.url !== source.title ? `${source.title} (${source.url})` : source.title;
      if (seen.has(label) || answer.includes(source.url ?? source.title)) continue;
      seen.add(label);
      if (lines.length < MAX_CITED) lines.push(`- [${result.agent}] ${label}`);
    }
  }
  return lines.length === 0
    ? answer
    : `${answer}\n\n${t(locale, "answer.sources_title")}\n${lines.join("\n")}`;
}
