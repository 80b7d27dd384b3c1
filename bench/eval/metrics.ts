import type { PlanStep } from "../../src/supervisor/types.js";
import type { EvalCase } from "./set.js";

/**
 * Pure scoring of one eval run, so the vitest test can check the arithmetic on known outcomes.
 * Agent choice is right when the plan's agents, in order and without repeats, are the labelled ones;
 * dependencies are right when, for a multi-step case whose agents are right, each step depends on
 * exactly the labelled steps.
 */
export type Variant = "model" | "prior" | "combined";

export interface CaseOutcome {
  id: string;
  locale: "ko" | "en";
  expected: EvalCase;
  /** The plan each variant produced (normalized); undefined when the model's output was unusable. */
  plans: Record<Variant, PlanStep[] | undefined>;
  /** Every plan text (tasks, descriptions) and the intent's language are in the request's language. */
  languageOk: boolean;
  /** The history filter's verdict, for follow-ups. */
  sawHistory?: boolean;
  /** The step's first answer was degenerate / what was shown is degenerate but not flagged. */
  answer?: { degenerate: boolean; shownDegenerate: boolean; fallback: boolean };
  ms: number;
}

export function agentsOf(plan: readonly PlanStep[]): string[] {
  const out: string[] = [];
  for (const step of plan) if (out.at(-1) !== step.agent) out.push(step.agent);
  return out;
}

export function agentsRight(plan: readonly PlanStep[] | undefined, expected: EvalCase): boolean {
  if (!plan) return false;
  const got = agentsOf(plan);
  return got.length === expected.agents.length && got.every((agent, i) => agent === expected.agents[i]);
}

export function depsRight(plan: readonly PlanStep[] | undefined, expected: EvalCase): boolean {
  if (!plan || !agentsRight(plan, expected) || plan.length !== expected.agents.length) return false;
  const want = expected.deps ?? expected.agents.map(() => []);
  const position = new Map(plan.map((step, index) => [step.id, index + 1]));
  return plan.every((step, index) => {
    const got = step.depends_on.map((dep) => position.get(dep)).sort();
    const wanted = [...(want[index] ?? [])].sort();
    return got.length === wanted.length && got.every((dep, i) => dep === wanted[i]);
  });
}

/** A plan the executor can run: at least one step, known agents, real tasks, dependencies backwards. */
export function planValid(plan: readonly PlanStep[] | undefined, agents: readonly string[]): boolean {
  if (!plan || plan.length === 0) return false;
  return plan.every(
    (step, index) =>
      agents.includes(step.agent) &&
      /[\p{L}\p{N}]/u.test(step.task) &&
      step.depends_on.every((dep) => plan.slice(0, index).some((earlier) => earlier.id === dep)),
  );
}

export interface Metrics {
  cases: number;
  accuracy: Record<Variant, number>;
  validPlans: Record<Variant, number>;
  /** Among multi-step cases. */
  dependencies: { cases: number; correct: number; rate: number };
  languageMatch: number;
  historyFilter: { cases: number; correct: number; rate: number };
  answers: {
    cases: number;
    degenerate: number;
    degenerateRate: number;
    fallbacks: number;
    shownDegenerate: number;
  };
  byLocale: Record<"ko" | "en", { cases: number; combinedAccuracy: number }>;
  totalMs: number;
  msPerCase: number;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000);

export function computeMetrics(outcomes: readonly CaseOutcome[], agents: readonly string[]): Metrics {
  const variants: Variant[] = ["model", "prior", "combined"];
  const count = (test: (o: CaseOutcome) => boolean) => outcomes.filter(test).length;
  const multi = outcomes.filter((o) => o.expected.agents.length > 1);
  const follow = outcomes.filter((o) => o.expected.refersBack !== undefined && o.sawHistory !== undefined);
  const answered = outcomes.filter((o) => o.answer);
  const totalMs = outcomes.reduce((sum, o) => sum + o.ms, 0);
  const locale = (code: "ko" | "en") => {
    const mine = outcomes.filter((o) => o.locale === code);
    return {
      cases: mine.length,
      combinedAccuracy: ratio(
        mine.filter((o) => agentsRight(o.plans.combined, o.expected)).length,
        mine.length,
      ),
    };
  };
  return {
    cases: outcomes.length,
    accuracy: Object.fromEntries(
      variants.map((v) => [
        v,
        ratio(
          count((o) => agentsRight(o.plans[v], o.expected)),
          outcomes.length,
        ),
      ]),
    ) as Record<Variant, number>,
    validPlans: Object.fromEntries(
      variants.map((v) => [
        v,
        ratio(
          count((o) => planValid(o.plans[v], agents)),
          outcomes.length,
        ),
      ]),
    ) as Record<Variant, number>,
    dependencies: {
      cases: multi.length,
      correct: multi.filter((o) => depsRight(o.plans.combined, o.expected)).length,
      rate: ratio(multi.filter((o) => depsRight(o.plans.combined, o.expected)).length, multi.length),
    },
    languageMatch: ratio(
      count((o) => o.languageOk),
      outcomes.length,
    ),
    historyFilter: {
      cases: follow.length,
      correct: follow.filter((o) => o.sawHistory === o.expected.refersBack).length,
      rate: ratio(follow.filter((o) => o.sawHistory === o.expected.refersBack).length, follow.length),
    },
    answers: {
      cases: answered.length,
      degenerate: answered.filter((o) => o.answer?.degenerate).length,
      degenerateRate: ratio(answered.filter((o) => o.answer?.degenerate).length, answered.length),
      fallbacks: answered.filter((o) => o.answer?.fallback).length,
      shownDegenerate: answered.filter((o) => o.answer?.shownDegenerate).length,
    },
    byLocale: { ko: locale("ko"), en: locale("en") },
    totalMs,
    msPerCase: outcomes.length === 0 ? 0 : Math.round(totalMs / outcomes.length),
  };
}
