import type { ProposedStep } from "../plan.js";
import { type Prior, priorPlan } from "./prior.js";
import { similarity } from "./similarity.js";

/**
 * The model's plan weighed against the lexical prior. The model is trusted where the request's words
 * support its choice or say nothing; where it is unsure or degenerate, the prior decides:
 * - no usable plan (invalid output, every task junk or copied from an example): the prior's plan;
 * - a step whose agent the words do not support, when they point to an agent the plan lacks: that
 *   agent instead (a 270M model says `search` for "Draft an NDA"); when they point nowhere new and the
 *   step says nothing of its own (its task is the request, or unrelated to it), it is dropped (an
 *   8-step plan `add_user, delete_all_users ...` for "What is the capital of Italy?");
 * - an agent the words clearly ask for but no step uses: a step for it, added;
 * - a request that says "then" planned as parallel steps: chained.
 */
export type RoutingChange =
  | { kind: "replaced"; id: number; from: string; to: string }
  | { kind: "dropped"; id: number; agent: string }
  | { kind: "added"; id: number; agent: string }
  | { kind: "chained" };

export interface CombinedPlan {
  steps: ProposedStep[];
  source: "model" | "combined" | "prior";
  changes: RoutingChange[];
}

export function combinePlans(input: {
  /** The model's steps with junk tasks already cleaned; undefined when its output was unusable. */
  model: readonly ProposedStep[] | undefined;
  request: string;
  prior: Prior;
}): CombinedPlan {
  const { model, prior, request } = input;
  if (!model || model.length === 0) return { steps: priorPlan(request, prior), source: "prior", changes: [] };
  if (prior.agents.length === 0) return { steps: [...model], source: "model", changes: [] };

  const changes: RoutingChange[] = [];
  const supported = (step: ProposedStep) => prior.agents.includes(step.agent);
  const covered = new Set(model.filter(supported).map((step) => step.agent));

  const kept: ProposedStep[] = [];
  const droppedDeps = new Map<number, number[]>();
  for (const step of model) {
    if (supported(step)) {
      kept.push(step);
      continue;
    }
    const missing = prior.agents.find((agent) => !covered.has(agent));
    if (missing) {
      covered.add(missing);
      kept.push({ ...step, agent: missing });
      changes.push({ kind: "replaced", id: step.id, from: step.agent, to: missing });
    } else if (model.length > 1 && unsure(step, request)) {
      droppedDeps.set(step.id, step.depends_on);
      changes.push({ kind: "dropped", id: step.id, agent: step.agent });
    } else {
      kept.push(step);
    }
  }
  let steps = (kept.length > 0 ? kept : model).map((step) => ({ ...inheritDeps(step, droppedDeps) }));

  // An agent the plan lacks is added when the request asks for things in sequence, or when its words
  // weigh more than those behind every agent the plan has (the model planned a side issue).
  const score = (agent: string) => prior.evidence.find((e) => e.agent === agent)?.score ?? 0;
  const strongest = Math.max(0, ...[...covered].map(score));
  const fromPrior = priorPlan(request, prior);
  let nextId = Math.max(...model.map((step) => step.id)) + 1;
  let added = false;
  for (const agent of prior.agents) {
    if (covered.has(agent) || !(prior.sequential || score(agent) > strongest)) continue;
    const id = nextId++;
    steps.push({
      id,
      agent,
      task: fromPrior.find((step) => step.agent === agent)?.task ?? request,
      description: "",
      depends_on: [],
      needs_approval: false,
    });
    covered.add(agent);
    added = true;
    changes.push({ kind: "added", id, agent });
  }
  if (added) {
    // In the order the request mentions the agents; steps of other agents keep their place in front.
    const rank = (step: ProposedStep) => {
      const at = prior.agents.indexOf(step.agent);
      return at < 0 ? -1 : at;
    };
    steps = steps
      .map((step, index) => ({ step, index }))
      .sort((a, b) => rank(a.step) - rank(b.step) || a.index - b.index)
      .map(({ step }) => step);
  }

  const unchained = steps.every((step) => step.depends_on.length === 0);
  if (prior.sequential && steps.length > 1 && (added || unchained)) {
    steps.forEach((step, index) => {
      const previous = steps[index - 1];
      step.depends_on = previous ? [previous.id] : [];
    });
    changes.push({ kind: "chained" });
  }
  return { steps, source: changes.length > 0 ? "combined" : "model", changes };
}

/** A step that only repeats the request, or whose task has little to do with it. */
function unsure(step: ProposedStep, request: string): boolean {
  return step.task === request || similarity(step.task, request) < UNRELATED;
}

/** Below this, a task shares almost no letter pairs with the request it is meant to serve. */
const UNRELATED = 0.2;

/** A step that depended on a dropped one depends on what that one depended on. */
function inheritDeps(step: ProposedStep, dropped: ReadonlyMap<number, number[]>): ProposedStep {
  if (dropped.size === 0) return step;
  const deps = new Set<number>();
  const visit = (id: number, seen: Set<number>) => {
    const through = dropped.get(id);
    if (!through) {
      deps.add(id);
      return;
    }
    if (seen.has(id)) return;
    seen.add(id);
    for (const next of through) visit(next, seen);
  };
  for (const dep of step.depends_on) visit(dep, new Set());
  return { ...step, depends_on: [...deps] };
}
