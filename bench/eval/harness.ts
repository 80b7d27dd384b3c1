import type { LlmClient } from "../../src/llm/types.js";
import { silentLogger } from "../../src/log.js";
import { DEFAULT_AGENTS } from "../../src/supervisor/agents/index.js";
import type { AgentDefinition } from "../../src/supervisor/agents/types.js";
import { degenerateReason } from "../../src/supervisor/answers/degenerate.js";
import { historyText, relevantHistory } from "../../src/supervisor/context.js";
import type { SupervisorDeps } from "../../src/supervisor/nodes/deps.js";
import { intentUnderstandingNode } from "../../src/supervisor/nodes/intent.js";
import { normalizePlan, type ProposedStep } from "../../src/supervisor/plan.js";
import { AgentRegistry } from "../../src/supervisor/registry.js";
import { routeRequest, wrongLanguage } from "../../src/supervisor/routing/route.js";
import { SupervisorState, type SupervisorStateType, type TurnRecord } from "../../src/supervisor/state.js";
import type { PlanStep } from "../../src/supervisor/types.js";
import { detectLocale, type Locale } from "../../src/vocabulary/index.js";
import { type CaseOutcome, computeMetrics, type Metrics } from "./metrics.js";
import type { EvalCase } from "./set.js";

/**
 * Runs labelled requests through the real intent node and the real planner routing (the same code the
 * graph runs), and, for the chosen cases, the first step's agent, then scores them (metrics.ts).
 */
export interface EvalOptions {
  /** Whether to run the first step's agent for a case (answers are the slow part on a local model). */
  answer?: (item: EvalCase, index: number) => boolean;
  maxSteps?: number;
  stepTimeoutMs?: number;
  onCase?: (outcome: CaseOutcome, index: number) => void;
  /** The agents to plan for and answer with (default: the registry's). */
  agents?: readonly AgentDefinition[];
}

export interface EvalReport {
  provider: string;
  model: string;
  metrics: Metrics;
  outcomes: CaseOutcome[];
}

function emptyState(partial: Partial<SupervisorStateType>): SupervisorStateType {
  const defaults = Object.fromEntries(
    Object.entries(SupervisorState.spec).map(([key, channel]) => [
      key,
      (channel as { initialValueFactory?: () => unknown }).initialValueFactory?.(),
    ]),
  );
  return { ...defaults, ...partial } as SupervisorStateType;
}

const expectedLocale = (item: EvalCase): Locale => (item.id.startsWith("ko") ? "ko" : "en");

export async function runEval(llm: LlmClient, cases: readonly EvalCase[], options: EvalOptions = {}) {
  const registry = new AgentRegistry(options.agents ?? DEFAULT_AGENTS);
  const maxSteps = options.maxSteps ?? 6;
  const deps: SupervisorDeps = {
    llm,
    registry,
    logger: silentLogger(),
    maxSteps,
    stepAttempts: 1,
    stepTimeoutMs: options.stepTimeoutMs ?? 300_000,
    retryInitialMs: 1,
  };
  const intent = intentUnderstandingNode(deps);
  const outcomes: CaseOutcome[] = [];
  for (const [index, item] of cases.entries()) {
    const started = performance.now();
    const locale = detectLocale(item.request);
    const turns: TurnRecord[] = (item.history ?? []).map((turn, i) => ({
      run_id: `eval_${i}`,
      request: turn.request,
      answer: turn.answer,
      format: "chat",
      at: new Date(0).toISOString(),
    }));
    const turn = {
      run_id: `eval_${item.id}`,
      request: item.request,
      format: "chat" as const,
      locale,
      requester: "eval",
      started_at: new Date().toISOString(),
      attachments: [],
    };
    const understood = await intent(emptyState({ turn, turns })).catch(() => undefined);
    const routed = await routeRequest({
      llm,
      registry,
      agents: registry.definitions,
      maxSteps,
      request: item.request,
      locale,
      history: historyText(turns, item.request),
      attachments: [],
    });
    const normalize = (steps: ProposedStep[] | undefined): PlanStep[] | undefined =>
      steps ? normalizePlan(steps, { registry, locale, request: item.request, maxSteps }) : undefined;
    const plans = {
      model: normalize(routed.model),
      prior: normalize(routed.priorSteps),
      combined: normalize(routed.steps) as PlanStep[],
    };
    let answer: CaseOutcome["answer"];
    let answerLanguageOk = true;
    const first = plans.combined[0];
    if (first && options.answer?.(item, index)) {
      const output = await registry.resolve(first.agent).run(
        { id: first.id, task: first.task, description: first.description },
        {
          llm,
          locale,
          signal: AbortSignal.timeout(deps.stepTimeoutMs),
          request: item.request,
          dependencies: [],
          history: relevantHistory(turns, item.request),
          attachments: [],
          tools: {},
          onUsage: () => {},
        },
      );
      const shown = degenerateReason(output.result, { locale, prompts: [item.request, first.task] });
      answer = {
        degenerate: output.degenerate !== undefined,
        fallback: output.fallback === true,
        shownDegenerate: !output.fallback && shown !== undefined,
      };
      answerLanguageOk = !wrongLanguage(output.result.replace(/```[\s\S]*?```/g, ""), expectedLocale(item));
    }
    const outcome: CaseOutcome = {
      id: item.id,
      locale: expectedLocale(item),
      expected: item,
      plans,
      languageOk:
        locale === expectedLocale(item) &&
        (understood?.user_intent?.language ?? locale) === expectedLocale(item) &&
        plans.combined.every((step) => !wrongLanguage(step.task, expectedLocale(item))) &&
        answerLanguageOk,
      ...(item.history ? { sawHistory: relevantHistory(turns, item.request).length > 0 } : {}),
      ...(answer ? { answer } : {}),
      ms: Math.round(performance.now() - started),
    };
    outcomes.push(outcome);
    options.onCase?.(outcome, index);
  }
  return {
    provider: llm.provider,
    model: llm.model,
    metrics: computeMetrics(outcomes, registry.names),
    outcomes,
  } satisfies EvalReport;
}
