import { t } from "../../i18n/index.js";
import { clip, type Locale, oneLine } from "../../vocabulary/index.js";
import { type ProgressState, type ProgressStep, runElapsedMs, stepElapsedMs } from "../progress.js";
import {
  pendingApprovals,
  progressHeadline,
  progressStatusText,
  progressTitle,
  selectProgressSteps,
} from "../progress-view.js";
import { formatSeconds } from "../text.js";
import { STATE_EMOJI } from "../view.js";
import { context, header, mrkdwnSections, type SlackBlock, type SlackMessage } from "./blocks.js";
import { SLACK_LIMITS, slackBlockTextLength } from "./limits.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { fallbackText } from "./pack.js";

/**
 * The live progress card, re-rendered and sent with `chat.update` as events arrive. It must always be one
 * message, so long plans show the steps that matter most and count the others.
 */

const MAX_STEPS = 30;
const TASK_CHARS = 70;
const DETAIL_CHARS = 90;

function seconds(ms: number | undefined): string {
  return ms === undefined ? "" : ` · ${formatSeconds(ms / 1000)}s`;
}

function stepLine(step: ProgressStep, now: string | undefined): string {
  const detail = step.status === "failed" ? (step.error ?? step.summary) : undefined;
  const attempt = step.attempt > 1 ? ` ×${step.attempt}` : "";
  return (
    `${STATE_EMOJI[step.status]} *#${step.id}* \`${escapeMrkdwn(clip(oneLine(step.agent), 40))}\` ` +
    `${escapeMrkdwn(clip(oneLine(step.task), TASK_CHARS))}${attempt}${seconds(stepElapsedMs(step, now))}` +
    (detail ? ` — ${escapeMrkdwn(clip(oneLine(detail), DETAIL_CHARS))}` : "")
  );
}

function build(
  state: ProgressState,
  locale: Locale,
  now: string | undefined,
  maxSteps: number,
): SlackMessage {
  const title = progressTitle(state, locale);
  const icon = state.error ? "⚠️" : state.finished ? "✅" : "🐙";
  const elapsed = runElapsedMs(state, now);
  const status = [progressStatusText(state, locale), progressHeadline(state, locale)]
    .filter((part) => part.length > 0)
    .map(escapeMrkdwn)
    .join("  ·  ");
  const blocks: SlackBlock[] = [
    header(`${icon} ${title}`),
    ...context(`${status}${elapsed === undefined ? "" : `  ·  ⏱️ ${formatSeconds(elapsed / 1000)}s`}`),
  ];
  const selection = selectProgressSteps(state, maxSteps, locale);
  if (selection.shown.length > 0)
    blocks.push(
      ...mrkdwnSections(selection.shown.map((step) => stepLine(step, now ?? state.updatedAt)).join("\n")),
    );
  const notes: string[] = [];
  if (selection.moreText) notes.push(escapeMrkdwn(selection.moreText));
  if (state.replanned) notes.push(`🔁 ${escapeMrkdwn(t(locale, "progress.replanned"))}`);
  for (const approval of pendingApprovals(state))
    notes.push(`✋ ${escapeMrkdwn(t(locale, "progress.waiting_for", { step: approval.step }))}`);
  if (state.error) notes.push(`⚠️ ${escapeMrkdwn(clip(oneLine(state.error.message), 1500))}`);
  if (notes.length > 0) blocks.push(...context(notes.join("\n")));
  return { text: fallbackText(`${title}: ${progressHeadline(state, locale)}`), blocks };
}

function fits(message: SlackMessage): boolean {
  const chars = message.blocks.reduce((sum, block) => sum + slackBlockTextLength(block), 0);
  return message.blocks.length <= SLACK_LIMITS.blocksPerMessage && chars <= SLACK_LIMITS.blockTextBudget;
}

/** The progress card for `chat.update`; `now` (ISO) measures running steps, default the latest event. */
export function renderProgress(
  state: ProgressState,
  locale: Locale,
  options: { now?: string } = {},
): SlackMessage {
  let maxSteps = MAX_STEPS;
  let message = build(state, locale, options.now, maxSteps);
  while (!fits(message) && maxSteps > 1) {
    maxSteps = Math.floor(maxSteps / 2);
    message = build(state, locale, options.now, maxSteps);
  }
  return message;
}
