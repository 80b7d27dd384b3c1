import { t } from "../i18n/index.js";
import type { Locale } from "../vocabulary/index.js";
import type { AgentRegistry } from "./registry.js";
import { FALLBACK_AGENT } from "./registry.js";
import type { PlanStep } from "./types.js";

/** A step as a model proposes it, before we trust it. */
export interface ProposedStep {
  id: number;
  agent: string;
  task: string;
  description?: string;
  depends_on: number[];
  needs_approval: boolean;
  /** Said to the person in the step's description (why the step is there or has this agent). */
  note?: string;
  /** The agent came from the words of the request, not from the model. */
  routed_by_keywords?: boolean;
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

/** Text a person could read: small models sometimes fill a field with JSON debris such as `]}, {`. */
function meaningful(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/**
 * Turns a model's plan into one the executor can trust: meaningless tasks replaced by the request, exact
 * duplicates (same agent, same task) merged, ids renumbered from 1 (after existing ones), dependencies
 * only on earlier steps (so the plan is a DAG whatever the model wrote), unknown agents sent to the
 * fallback agent with a note, approval policy applied, size capped.
 */
export function normalizePlan(proposed: readonly ProposedStep[], options: NormalizeOptions): PlanStep[] {
  const existing = options.existing ?? [];
  const firstId = existing.reduce((max, step) => Math.max(max, step.id), 0) + 1;
  const existingIds = new Set(existing.map((step) => step.id));

  // The model's id of each step -> the model id of the step that stands for it after merging duplicates.
  const sameAs = new Map<number, number>();
  const seen = new Map<string, number>();
  const kept: (ProposedStep & { cleanTask: string })[] = [];
  for (const step of proposed) {
    const cleanTask = meaningful(step.task) ? step.task.trim() : options.request;
    const key = `${step.agent}\u0000${cleanTask}`;
    const twin = seen.get(key);
    if (twin !== undefined) {
      if (!sameAs.has(step.id)) sameAs.set(step.id, twin);
      continue;
    }
    if (kept.length >= options.maxSteps) break;
    seen.set(key, step.id);
    if (!sameAs.has(step.id)) sameAs.set(step.id, step.id);
    kept.push({ ...step, cleanTask });
  }
  const idMap = new Map<number, number>();
  kept.forEach((step, index) => {
    if (!idMap.has(step.id)) idMap.set(step.id, firstId + index);
  });

  return kept.map((step, index): PlanStep => {
    const id = firstId + index;
    const known = options.registry.has(step.agent);
    const agent = known ? step.agent : FALLBACK_AGENT;
    const task = step.cleanTask;
    const deps = new Set<number>();
    for (const dep of step.depends_on) {
      // A replan numbers its new steps after the existing ones (its prompt says so), so an id that
      // exists already means that earlier step; any other id is one of the model's new steps.
      const mapped = existingIds.has(dep) ? dep : idMap.get(sameAs.get(dep) ?? dep);
      if (mapped !== undefined && mapped < id) deps.add(mapped);
    }
    const policy = options.registry.approvalPolicy(agent);
    const needsApproval = policy === "always" || (policy === "planner" && step.needs_approval);
    const fallbackNote = known ? "" : t(options.locale, "step.fallback_agent", { agent: step.agent });
    const ownDescription = step.description && meaningful(step.description) ? step.description.trim() : task;
    const description = [ownDescription, step.note, fallbackNote].filter(Boolean).join(" — ");
    return {
      id,
      agent,
      task,
      description,
      depends_on: [...deps].sort((a, b) => a - b),
      needs_approval: needsApproval,
      ...(known ? {} : { requested_agent: step.agent }),
      ...(step.routed_by_keywords ? { routed_by: "keywords" as const } : {}),
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
