import type { LlmUsage } from "../../llm/types.js";
import { clip } from "../../vocabulary/index.js";
import { historyText } from "../context.js";
import { normalizePlan } from "../plan.js";
import { planSchema } from "../routing/route.js";
import { nearlySame } from "../routing/similarity.js";
import type { SupervisorStateType, SupervisorUpdate } from "../state.js";
import type { PlanStep, StepResult } from "../types.js";
import type { SupervisorDeps } from "./deps.js";

/** Steps the replan is about: failed ones and those skipped because a failed one blocked them. */
export function hasFailures(results: readonly StepResult[]): boolean {
  return results.some((r) => r.status === "failed");
}

export function isRejected(result: StepResult): boolean {
  return result.skip_reason === "rejected" || result.approval?.decision === "reject";
}

/**
 * One replan after failures: new steps only, numbered after the existing ones. A step the person
 * rejected is their decision, not a failure: the model is told not to propose it again, and any new
 * step with the task of a rejected step (or an existing step's agent and task) is dropped anyway.
 */
export async function replan(
  deps: SupervisorDeps,
  state: SupervisorStateType,
  signal: AbortSignal | undefined,
  onUsage: (usage: LlmUsage) => void,
): Promise<SupervisorUpdate> {
  const turn = state.turn;
  if (!turn) throw new Error("replan ran without a turn");
  const results = Object.values(state.step_results);
  const proposal = await deps.llm.structured(
    [
      {
        role: "system",
        content: `You revise the plan of a multi-agent assistant. Agents:\n${deps.registry.describe(turn.locale)}`,
      },
      {
        role: "user",
        content: [
          historyText(state.turns, turn.request),
          `Request: ${turn.request}`,
          replanPrompt(state.plan, results),
        ]
          .filter(Boolean)
          .join("\n"),
      },
    ],
    planSchema(deps.registry, 0, deps.maxSteps),
    {
      purpose: "replan",
      schemaName: "replan",
      signal,
      onUsage,
      locale: turn.locale,
      context: {
        request: turn.request,
        locale: turn.locale,
        agents: deps.registry.names,
        failed: results.filter((r) => r.status === "failed").map((r) => r.step_id),
        rejected: results.filter(isRejected).map((r) => r.step_id),
      },
    },
  );
  const rejectedTasks = results.filter(isRejected).map((r) => r.task);
  const fresh = proposal.steps.filter(
    (step) =>
      !rejectedTasks.some((task) => nearlySame(task, step.task)) &&
      !state.plan.some((old) => old.agent === step.agent && nearlySame(old.task, step.task)),
  );
  const added = normalizePlan(fresh, {
    registry: deps.registry,
    locale: turn.locale,
    request: turn.request,
    maxSteps: deps.maxSteps,
    existing: state.plan,
    round: 1,
  }).filter((step) => !rejectedTasks.some((task) => nearlySame(task, step.task)));
  return { plan: [...state.plan, ...added], replans: state.replans + 1 };
}

function replanPrompt(plan: readonly PlanStep[], results: readonly StepResult[]): string {
  const lines = [...results]
    .sort((a, b) => a.step_id - b.step_id)
    .map((r) => {
      if (r.status === "completed")
        return `- Step ${r.step_id} (${r.agent}) completed: ${clip(r.result, 300, "")}`;
      if (isRejected(r))
        return `- Step ${r.step_id} (${r.agent}) was rejected by the person: do not propose it again.`;
      return clip(`- Step ${r.step_id} (${r.agent}) ${r.status}: ${r.error ?? r.result}`, 400, "");
    });
  return [
    `The plan had ${plan.length} steps. Outcomes:`,
    ...lines,
    "Propose only NEW steps that could still achieve what the failed steps were for (a different agent or a simpler task).",
    `Number the new steps from ${nextId(plan)}. They may depend on completed steps by their ids. Return an empty list if nothing sensible can be done.`,
  ].join("\n");
}

function nextId(plan: readonly PlanStep[]): number {
  return plan.reduce((max, step) => Math.max(max, step.id), 0) + 1;
}
