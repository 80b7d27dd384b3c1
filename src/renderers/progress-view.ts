import { t } from "../i18n/index.js";
import type { Locale } from "../vocabulary/index.js";
import { type ProgressState, type ProgressStep, progressCounts } from "./progress.js";
import { stateLabel } from "./summary.js";
import { STEP_STATES, type StepState } from "./view.js";

/**
 * Which steps a progress card shows when a plan is too long for one message: what needs attention first
 * (running, waiting, failed), then what comes next, then the latest finished; the rest is counted in a
 * "N more" line so nothing disappears without a word.
 */

const PRIORITY: Record<StepState, number> = {
  running: 0,
  waiting: 1,
  failed: 2,
  pending: 3,
  completed: 4,
  skipped: 4,
};

export interface ProgressSelection {
  shown: ProgressStep[];
  /** "12 completed, 3 pending" for the steps left out, or undefined when all are shown. */
  moreText: string | undefined;
}

export function selectProgressSteps(state: ProgressState, max: number, locale: Locale): ProgressSelection {
  if (state.steps.length <= max) return { shown: state.steps, moreText: undefined };
  const ranked = [...state.steps].sort((a, b) => {
    const byPriority = PRIORITY[a.status] - PRIORITY[b.status];
    if (byPriority !== 0) return byPriority;
    // Upcoming steps in plan order; finished ones latest first.
    return a.status === "completed" || a.status === "skipped" ? b.id - a.id : a.id - b.id;
  });
  const shown = ranked.slice(0, max).sort((a, b) => a.id - b.id);
  const hidden = ranked.slice(max);
  const byState = new Map<StepState, number>();
  for (const step of hidden) byState.set(step.status, (byState.get(step.status) ?? 0) + 1);
  const summary = STEP_STATES.filter((state) => byState.has(state))
    .map((state) => `${byState.get(state)} ${stateLabel(state, locale)}`)
    .join(", ");
  return { shown, moreText: t(locale, "progress.more_steps", { count: hidden.length, summary }) };
}

export function progressTitle(state: ProgressState, locale: Locale): string {
  if (state.error) return t(locale, "progress.failed_title");
  if (state.finished) return t(locale, "progress.done_title");
  return t(locale, "progress.title");
}

export function progressHeadline(state: ProgressState, locale: Locale): string {
  const counts = progressCounts(state);
  if (counts.total === 0) return state.statusMessage || t(locale, "progress.no_plan");
  return t(locale, "progress.steps_done", { done: counts.done, total: counts.total });
}

/** The status line under the title: the service's own message, else the localized status name. */
export function progressStatusText(state: ProgressState, locale: Locale): string {
  return state.statusMessage || t(locale, `status.${state.status}`);
}

/** Pending approvals, oldest first: what the card should point people to. */
export function pendingApprovals(state: ProgressState) {
  return state.approvals.filter((approval) => approval.decision === undefined);
}
