import { t } from "../i18n/index.js";
import type { AgentRegistry } from "./registry.js";
import { FALLBACK_AGENT } from "./registry.js";
import type { Locale, PlanStep } from "./types.js";

/** A step as a model proposes it, before we trust it. */
export interface ProposedStep {
  id: number;
  agent: string;
  task: string;
  description: string;
  depends_on: number[];
  needs_approval: boolean;
}

export interface NormalizeOptions {
  registry: AgentRegistry;
  locale: Locale;
  request: string;
  maxSteps: number;
  /** Ids already used in this turn (a replan continues the numbering and may depend on them). */
  existing?: readonly PlanStep[];
  round?: number;
}

/**
 * Turns a model's plan into one the executor can trust: ids renumbered from 1 (after existing ones),
 * dependencies only on earlier steps (so the plan is a DAG whatever the model wrote), unknown agents
 * sent to the fallback agent with a note, approval policy applied, size capped.
 */
export function normalizePlan(proposed: readonly ProposedStep[], options: NormalizeOptions): PlanStep[] {
  const existing = options.existing ?? [];
  const firstId = existing.reduce((max, step) => Math.max(max, step.id), 0) + 1;
  const kept = proposed.slice(0, options.maxSteps);
  const idMap = new Map<number, number>();
  kept.forEach((step, index) => {
    if (!idMap.has(step.id)) idMap.set(step.id, firstId + index);
  });
  const existingIds = new Set(existing.map((step) => step.id));

  return kept.map((step, index): PlanStep => {
    const id = firstId + index;
    const known = options.registry.has(step.agent);
    const agent = known ? step.agent : FALLBACK_AGENT;
    const task = step.task.trim() || options.request;
    const deps = new Set<number>();
    for (const dep of step.depends_on) {
      // A replan numbers its new steps after the existing ones (its prompt says so), so an id that
      // exists already means that earlier step; any other id is one of the model's new steps.
      const mapped = existingIds.has(dep) ? dep : idMap.get(dep);
      if (mapped !== undefined && mapped < id) deps.add(mapped);
    }
    const policy = options.registry.approvalPolicy(agent);
    const needsApproval = policy === "always" || (policy === "planner" && step.needs_approval);
    const fallbackNote = known ? "" : t(options.locale, "step.fallback_agent", { agent: step.agent });
    const description = [step.description.trim() || task, fallbackNote].filter(Boolean).join(" — ");
    return {
      id,
      agent,
      task,
      description,
      depends_on: [...deps].sort((a, b) => a - b),
      needs_approval: needsApproval,
      ...(known ? {} : { requested_agent: step.agent }),
      ...(needsApproval
        ? {
            approval_reason:
              policy === "always"
                ? t(options.locale, "approval.reason.agent_policy", { agent })
                : t(options.locale, "approval.reason.planner"),
          }
        : {}),
      round: options.round ?? 0,
    };
  });
}
