import { Send } from "@langchain/langgraph";
import { t } from "../../i18n/index.js";
import type { SupervisorStateType, SupervisorUpdate, TurnInput } from "../state.js";
import type { PlanStep, StepResult } from "../types.js";
import { hasFailures } from "./replan.js";
import type { StepTask } from "./step-input.js";

/** Steps whose dependencies did not complete can never run: record them as skipped, transitively. */
export function skippedByDependencies(
  plan: readonly PlanStep[],
  results: Readonly<Record<string, StepResult>>,
  locale: TurnInput["locale"],
): Record<string, StepResult> {
  const known: Record<string, StepResult> = { ...results };
  const skipped: Record<string, StepResult> = {};
  let changed = true;
  while (changed) {
    changed = false;
    for (const step of plan) {
      if (known[step.id]) continue;
      const blocker = step.depends_on.find((dep) => known[dep] && known[dep].status !== "completed");
      if (blocker === undefined) continue;
      const result: StepResult = {
        step_id: step.id,
        agent: step.agent,
        task: step.task,
        description: step.description,
        depends_on: step.depends_on,
        status: "skipped",
        skip_reason: "dependency",
        result: t(locale, "step.skipped_dependency", { step: blocker }),
        confidence: 0,
        duration_ms: 0,
        attempts: 0,
        round: step.round,
      };
      known[step.id] = result;
      skipped[step.id] = result;
      changed = true;
    }
  }
  return skipped;
}

/** The scheduler node: settles steps that can no longer run; routing happens in `routeAfterSchedule`. */
export function scheduleNode() {
  return (state: SupervisorStateType): SupervisorUpdate => {
    const locale = state.turn?.locale ?? "en";
    const skipped = skippedByDependencies(state.plan, state.step_results, locale);
    return Object.keys(skipped).length > 0 ? { step_results: skipped } : {};
  };
}

/**
 * Dispatches every step whose dependencies are all complete, at once (parallel `Send`s). When nothing
 * is left: one replan if a step failed, then aggregation.
 */
export function routeAfterSchedule(options: { maxReplans: number }) {
  return (state: SupervisorStateType): Send[] | "planning" | "aggregator" => {
    const turn = state.turn;
    if (!turn) return "aggregator";
    const results = state.step_results;
    const ready = state.plan.filter(
      (step) => !results[step.id] && step.depends_on.every((dep) => results[dep]?.status === "completed"),
    );
    if (ready.length > 0) {
      return ready.map((step) => new Send("execute_step", { step, run_id: turn.run_id } satisfies StepTask));
    }
    // Rejected steps (and those that needed them) are the person's decision: nothing to revise.
    const failed = hasFailures(Object.values(results));
    return failed && state.replans < options.maxReplans ? "planning" : "aggregator";
  };
}
