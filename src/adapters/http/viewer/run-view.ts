import type { RunEvent, RunResult, RunStatus } from "../../../conversations/events.js";
import { type MessageKey, t } from "../../../i18n/index.js";
import {
  applyRunEvent,
  confidenceText,
  files,
  formatSeconds,
  initialProgress,
  type ProgressState,
  type ProgressStep,
  progressStatusText,
  progressTitle,
  STATE_COLOUR,
  STEP_STATES,
  type StepState,
  stateLabel,
  viewOf,
} from "../../../renderers/index.js";
import { clip, type Locale, oneLine } from "../../../vocabulary/index.js";

/**
 * What the run page shows, folded from the run's logged events: the plan as nodes and edges, each step's
 * details, and the answer once it came. Built on the server with the same reducer as every progress
 * card, so the page never disagrees with Slack or Discord; the browser only draws it. All text is data
 * for `textContent` and canvas labels, never markup.
 */

export interface ViewerSource {
  title: string;
  /** Only http(s) links; anything else is shown as a title alone. */
  url?: string;
}

export interface ViewerStep {
  id: number;
  heading: string;
  agent: string;
  task: string;
  description: string;
  dependsOn: number[];
  state: StepState;
  stateLabel: string;
  colour: string;
  /** Text colour readable on `colour`. */
  ink: string;
  /** The node's label: number, agent and the start of its description. */
  label: string;
  attempts: number;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  duration: string | undefined;
  /** The full result once the answer came; a one-line preview while the run goes on. */
  result: string | undefined;
  resultFinal: boolean;
  confidence: string | undefined;
  error: string | undefined;
  approval: string | undefined;
  sources: ViewerSource[];
}

export interface RunPageView {
  /** The last logged event folded in (the SSE event id). */
  seq: number;
  locale: Locale;
  title: string;
  headline: string;
  status: RunStatus;
  /** The answer arrived: nothing more will change. */
  done: boolean;
  /** The log does not know the run (its conversation was forgotten): nothing will come. */
  missing: boolean;
  request: string | undefined;
  answer: string | undefined;
  summary: string | undefined;
  error: string | undefined;
  steps: ViewerStep[];
  legend: { state: StepState; label: string; colour: string }[];
  labels: Record<string, string>;
}

/** The labels the page's script shows, in the run's language. */
const LABELS = {
  agent: "report.agent",
  status: "report.status",
  task: "viewer.task",
  result: "viewer.result",
  resultLive: "viewer.result_live",
  error: "viewer.error",
  confidence: "viewer.confidence",
  timing: "viewer.timing",
  started: "viewer.started",
  finished: "viewer.finished",
  duration: "viewer.duration",
  attempts: "viewer.attempts",
  dependsOn: "viewer.depends_on",
  approval: "viewer.approval",
  sources: "viewer.sources",
  selectStep: "viewer.select_step",
  answer: "viewer.answer",
  request: "viewer.request",
  waiting: "viewer.waiting",
  missing: "viewer.missing",
  live: "viewer.live",
  done: "viewer.done",
  reconnecting: "viewer.reconnecting",
} as const satisfies Record<string, MessageKey>;

const LABEL_CHARS = 48;
const DARK_INK = "#1f2328";

export interface RunFold {
  seq: number;
  progress: ProgressState;
  result: RunResult | undefined;
  missing?: boolean;
}

export function emptyFold(locale: Locale = "en"): RunFold {
  return { seq: 0, progress: initialProgress(locale), result: undefined };
}

/** Folds one logged event in; never mutates `fold`. */
export function foldRunEvent(fold: RunFold, seq: number, event: RunEvent): RunFold {
  return {
    ...fold,
    seq: Math.max(fold.seq, seq),
    progress: applyRunEvent(fold.progress, event),
    result: event.type === "result" ? event.result : fold.result,
  };
}

function linkOf(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const { protocol } = new URL(url);
  return protocol === "https:" || protocol === "http:" ? url : undefined;
}

function sourcesOf(sources: readonly { title: string; url?: string | undefined }[]): ViewerSource[] {
  return sources.map((source) => {
    const url = linkOf(source.url);
    return url ? { title: source.title || url, url } : { title: source.title };
  });
}

function approvalText(state: ProgressState, step: number, locale: Locale): string | undefined {
  const approval = state.approvals.filter((entry) => entry.step === step).at(-1);
  if (!approval) return undefined;
  if (!approval.decision) return [t(locale, "outcome.waiting"), approval.reason].filter(Boolean).join(": ");
  const decided = `${t(locale, `decision.${approval.decision.decision}` as MessageKey)} (${approval.decision.by})`;
  return approval.decision.editedTask ? `${decided}: ${approval.decision.editedTask}` : decided;
}

function stepOf(
  live: ProgressStep | undefined,
  fold: RunFold,
  id: number,
  locale: Locale,
): ViewerStep | undefined {
  const final = fold.result ? viewOf(fold.result).steps.find((step) => step.id === id) : undefined;
  const own = fold.result?.step_results.find((step) => step.step_id === id);
  const base = live ?? final;
  if (!base) return undefined;
  const state: StepState = final ? final.status : (live?.status ?? "pending");
  const agent = base.agent;
  const description = (live?.description || final?.description || base.task).trim();
  const ms = final?.ran ? final.durationMs : live?.ms;
  const confidence = final?.ran ? final.confidence : live?.confidence;
  const error = (final ? final.error : live?.error) || undefined;
  const result = final ? (final.ran ? final.result : t(locale, "result.not_run")) : live?.summary;
  return {
    id,
    heading: t(locale, "viewer.step", { step: id }),
    agent,
    task: final?.task ?? live?.task ?? "",
    description,
    dependsOn: [...(live?.dependsOn ?? final?.dependsOn ?? [])],
    state,
    stateLabel: stateLabel(state, locale),
    colour: STATE_COLOUR[state],
    ink: state === "pending" ? DARK_INK : "#ffffff",
    label: `${id}. ${clip(oneLine(agent), 20)}\n${clip(oneLine(description), LABEL_CHARS)}`,
    attempts: final?.attempts || live?.attempt || 0,
    startedAt: live?.startedAt ?? final?.startedAt,
    finishedAt: final?.finishedAt ?? live?.finishedAt,
    duration: ms === undefined ? undefined : t(locale, "summary.time", { seconds: formatSeconds(ms / 1000) }),
    result: result || undefined,
    resultFinal: final !== undefined,
    confidence: confidence === undefined || state !== "completed" ? undefined : confidenceText(confidence),
    error,
    approval: approvalText(fold.progress, id, locale),
    sources: sourcesOf(own?.sources ?? live?.sources ?? []),
  };
}

export function runPageView(fold: RunFold): RunPageView {
  const { progress, result } = fold;
  const locale = result?.locale ?? progress.locale;
  const ids = new Set(progress.steps.map((step) => step.id));
  if (result) for (const step of viewOf(result).steps) ids.add(step.id);
  const steps = [...ids]
    .sort((a, b) => a - b)
    .flatMap((id) => {
      const step = stepOf(
        progress.steps.find((candidate) => candidate.id === id),
        fold,
        id,
        locale,
      );
      return step ? [step] : [];
    });
  const view = result ? viewOf(result) : undefined;
  return {
    seq: fold.seq,
    locale,
    title: t(locale, "viewer.title"),
    // Finished, the summary says more than "Finished · Done.".
    headline:
      view !== undefined
        ? `${progressTitle(progress, locale)} · ${files.summaryLine(view, locale)}`
        : `${progressTitle(progress, locale)} · ${progressStatusText(progress, locale)}`,
    status: progress.status,
    done: result !== undefined,
    missing: fold.missing === true,
    request: result?.request,
    answer: view?.answer,
    summary: view ? files.summaryLine(view, locale) : undefined,
    error: progress.error?.message,
    steps,
    legend: STEP_STATES.map((state) => ({
      state,
      label: stateLabel(state, locale),
      colour: STATE_COLOUR[state],
    })),
    labels: Object.fromEntries(Object.entries(LABELS).map(([name, key]) => [name, t(locale, key)])),
  };
}
