import { t } from "../../i18n/index.js";
import type { RunResult, StepResult } from "../../supervisor/types.js";
import { clip, type Locale, oneLine } from "../../vocabulary/index.js";
import { answerFile, FILE_NAMES, resultFiles } from "../files/result-files.js";
import type { ProgressSource, ProgressState } from "../progress.js";
import { pendingApprovals, progressHeadline, progressTitle } from "../progress-view.js";
import { formatSeconds, plainPreview, splitEscaped } from "../text.js";
import type {
  RenderResultOptions,
  StreamedAnswer,
  StreamRenderer,
  StreamTask,
  StreamUpdate,
} from "../types.js";
import { type StepState, type StepView, viewOf } from "../view.js";
import { context, divider, mrkdwnSections, type SlackBlock, type SlackMessage } from "./blocks.js";
import { feedbackBlock } from "./feedback.js";
import { SLACK_LIMITS } from "./limits.js";
import { escapeMrkdwn, markdownToMrkdwn, plainSafe } from "./mrkdwn.js";
import { packSlack } from "./pack.js";
import {
  ANSWER_INLINE,
  captionBlocks,
  filesBlock,
  insightsBlocks,
  previewBlocks,
  renderResult,
  summaryMrkdwn,
} from "./result.js";
import { viewRunBlocks } from "./run-link.js";

/**
 * What Slack's native progress stream shows (chat.startStream with `task_display_mode: "plan"`): one
 * task card per plan step, whose id is the step id so each update replaces its card, then the answer as
 * Markdown and the summary below it. Everything is clipped to the limits table; text meant to be read
 * in full (the answer) is never clipped, only continued in follow-up messages or a file.
 */

/** What a task shows, whether it comes from the live progress or from the finished result. */
interface TaskFacts {
  id: number;
  agent: string;
  title: string;
  state: StepState;
  attempt: number;
  /** Measured time, once finished. */
  ms: number | undefined;
  summary: string | undefined;
  error: string | undefined;
  skipReason: StepResult["skip_reason"];
  sources: readonly ProgressSource[];
}

const STATUS: Record<StepState, StreamTask["status"]> = {
  pending: "pending",
  waiting: "pending",
  running: "in_progress",
  completed: "complete",
  failed: "error",
  // Slack has no "skipped": the step is over, and its output says why it did not run.
  skipped: "complete",
};

const text = (raw: string, max: number) => clip(plainSafe(oneLine(raw)), max);

function details(step: TaskFacts, locale: Locale): string {
  const parts = [t(locale, "stream.agent", { agent: step.agent })];
  if (step.attempt > 1) parts.push(t(locale, "stream.attempt", { count: step.attempt }));
  if (step.state === "waiting") parts.push(t(locale, "stream.waiting"));
  // A running step's time would be frozen at the moment it was sent, so only finished steps show one.
  const finished = step.state === "completed" || step.state === "failed";
  if (finished && step.ms !== undefined)
    parts.push(t(locale, "summary.time", { seconds: formatSeconds(step.ms / 1000) }));
  const documents = step.sources.filter((source) => !linkOf(source)).map((source) => source.title);
  if (documents.length > 0) parts.push(t(locale, "stream.cited", { titles: documents.join(", ") }));
  return text(parts.join(" · "), SLACK_LIMITS.taskDetails);
}

function output(step: TaskFacts, locale: Locale): string | undefined {
  switch (step.state) {
    case "completed":
      return step.summary;
    case "failed":
      return step.error ?? step.summary;
    case "skipped":
      if (step.skipReason === "rejected") return t(locale, "stream.rejected");
      if (step.skipReason === "dependency") return t(locale, "stream.dependency");
      return t(locale, "stream.skipped");
    default:
      return undefined;
  }
}

function linkOf(source: ProgressSource): string | undefined {
  if (!source.url || !URL.canParse(source.url)) return undefined;
  const { protocol } = new URL(source.url);
  return protocol === "https:" || protocol === "http:" ? source.url : undefined;
}

function taskOf(step: TaskFacts, locale: Locale): StreamTask {
  const said = output(step, locale);
  const shown = said ? text(said, SLACK_LIMITS.taskOutput) : "";
  const links = step.sources.flatMap((source) => {
    const url = linkOf(source);
    return url ? [{ url, text: text(source.title || url, SLACK_LIMITS.taskTitle) || url }] : [];
  });
  return {
    id: String(step.id),
    title: text(`${step.id}. ${step.title}`, SLACK_LIMITS.taskTitle),
    status: STATUS[step.state],
    details: details(step, locale),
    ...(shown ? { output: shown } : {}),
    ...(links.length > 0 ? { sources: links.slice(0, SLACK_LIMITS.taskSources) } : {}),
  };
}

/** Every step as a task; past the plan's cap, the rest share one "N more" task. */
function tasksOf(steps: readonly TaskFacts[], locale: Locale): StreamTask[] {
  if (steps.length <= SLACK_LIMITS.planTasks) return steps.map((step) => taskOf(step, locale));
  const shown = steps.slice(0, SLACK_LIMITS.planTasks - 1);
  const rest = steps.slice(SLACK_LIMITS.planTasks - 1);
  const states = new Set(rest.map((step) => STATUS[step.state]));
  const status: StreamTask["status"] = states.has("error")
    ? "error"
    : states.has("in_progress")
      ? "in_progress"
      : states.has("pending")
        ? "pending"
        : "complete";
  return [
    ...shown.map((step) => taskOf(step, locale)),
    { id: "more", title: text(t(locale, "stream.more_tasks", { count: rest.length }), 256), status },
  ];
}

function planTitle(state: ProgressState, locale: Locale, headline: string): string {
  const parts = [progressTitle(state, locale), headline];
  for (const approval of pendingApprovals(state))
    parts.push(`✋ ${t(locale, "progress.waiting_for", { step: approval.step })}`);
  return text(parts.filter(Boolean).join(" · "), SLACK_LIMITS.taskTitle);
}

function progress(state: ProgressState, locale: Locale): { title: string; tasks: StreamTask[] } {
  const steps = state.steps.map(
    (step): TaskFacts => ({
      id: step.id,
      agent: step.agent,
      title: step.description || step.task,
      state: step.status,
      attempt: step.attempt,
      ms: step.ms,
      summary: step.summary,
      error: step.error,
      skipReason: undefined,
      sources: step.sources,
    }),
  );
  return { title: planTitle(state, locale, progressHeadline(state, locale)), tasks: tasksOf(steps, locale) };
}

/** The finished run's steps: the result is the whole truth, also for steps this delivery never saw run. */
function finalTasks(state: ProgressState, result: RunResult, steps: StepView[], locale: Locale) {
  const results = new Map(result.step_results.map((step) => [step.step_id, step]));
  const live = new Map(state.steps.map((step) => [step.id, step]));
  const facts = steps.map((step): TaskFacts => {
    const own = results.get(step.id);
    const seen = live.get(step.id);
    return {
      id: step.id,
      agent: step.agent,
      title: seen?.description || step.description || step.task,
      state: step.status,
      attempt: step.attempts,
      ms: step.ran ? step.durationMs : undefined,
      summary: step.ran ? step.result : t(locale, "result.not_run"),
      error: step.error,
      skipReason: own?.skip_reason ?? (own?.approval?.decision === "reject" ? "rejected" : undefined),
      sources: own?.sources ?? seen?.sources ?? [],
    };
  });
  return tasksOf(facts, locale);
}

/**
 * The answer in the stream: its first part as Markdown (standard Markdown, so it goes as written, with
 * only mention markup broken up), the rest in follow-up messages, or past about two messages' worth in
 * answer.md, as the posted answer does.
 */
function answerText(answer: string, locale: Locale) {
  const markdown = plainSafe(answer.trim() || t(locale, "answer.no_steps"));
  const [opening = "…", ...rest] = splitEscaped(markdown, SLACK_LIMITS.streamMarkdown);
  return { opening, rest: rest.join(""), overflows: markdown.length > ANSWER_INLINE };
}

async function answer(
  state: ProgressState,
  result: RunResult,
  locale: Locale,
  options: RenderResultOptions = {},
): Promise<StreamedAnswer<SlackMessage>> {
  const view = viewOf(result);
  const title = text(
    `${progressTitle(state, locale)} · ${t(locale, "progress.steps_done", {
      done: view.counts.completed + view.counts.failed + view.counts.skipped,
      total: view.counts.total,
    })}`,
    SLACK_LIMITS.taskTitle,
  );
  const update: StreamUpdate = { title, tasks: finalTasks(state, result, view.steps, locale) };
  const fallback = `${t(locale, "progress.done_title")} — ${plainPreview(view.answer) || view.request}`;

  if (result.format !== "chat" && result.format !== "all") {
    // A picture, a report or a JSON file: its caption and summary close the stream, as they would a post.
    const rendered = await renderResult(result, locale, options);
    const [closing, ...followUps] = rendered.messages;
    return { update, closing, followUps, files: rendered.files };
  }

  const words = answerText(view.answer, locale);
  update.markdown = words.opening;
  const formatFiles = await resultFiles(result, locale, { view });
  const overflow =
    words.rest && words.overflows ? answerFile(view, locale, Number.POSITIVE_INFINITY) : undefined;
  const files = {
    files: [...formatFiles.files, ...(overflow?.files ?? [])],
    notes: [...formatFiles.notes, ...(overflow?.notes ?? [])],
  };
  const closingBlocks: SlackBlock[] = [
    ...(overflow
      ? context(`📎 ${escapeMrkdwn(t(locale, "result.overflow_answer", { file: FILE_NAMES.answer }))}`)
      : []),
    ...context(summaryMrkdwn(view, locale)),
    ...insightsBlocks(view, locale),
    ...previewBlocks(result, locale),
    ...(result.format === "all"
      ? [divider(), ...captionBlocks("graph", view, locale), ...captionBlocks("report", view, locale)]
      : []),
    ...filesBlock(files, locale),
    ...viewRunBlocks(options.runUrl, locale),
    ...(options.feedbackRunId ? [feedbackBlock(options.feedbackRunId, locale)] : []),
  ];
  const [closing, ...moreClosing] = packSlack(closingBlocks, fallback, locale);
  const rest =
    words.rest && !overflow
      ? packSlack(mrkdwnSections(markdownToMrkdwn(words.rest)), fallback, locale, { continuing: true })
      : [];
  return { update, closing, followUps: [...rest, ...moreClosing], files: files.files };
}

/** Slack's stream renderer; the delivery layer uses it where the sink can stream. */
export const slackStream: StreamRenderer<SlackMessage> = { progress, answer };

/** The stop's blocks as Slack takes them: the closing message's blocks, within the stop's own limit. */
export function stopBlocks(closing: SlackMessage | undefined): SlackBlock[] {
  return (closing?.blocks ?? []).slice(0, SLACK_LIMITS.stopStreamBlocks);
}
