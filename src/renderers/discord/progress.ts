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
import { OUTCOME_COLOUR, STATE_COLOUR, STATE_EMOJI } from "../view.js";
import { DISCORD_LIMITS, type DiscordEmbed, type DiscordMessage, embedLength } from "./limits.js";
import { hexColour } from "./markdown.js";
import { fieldText, NO_MENTIONS } from "./pack.js";

/**
 * The live progress card as one embed, edited in place as events arrive. Long plans show the steps that
 * matter most and count the others, so the embed always fits.
 */

const MAX_STEPS = 30;

function stepLine(step: ProgressStep, now: string | undefined): string {
  const elapsed = stepElapsedMs(step, now);
  const detail = step.status === "failed" ? (step.error ?? step.summary) : undefined;
  return (
    `${STATE_EMOJI[step.status]} **#${step.id}** ${fieldText(clip(oneLine(step.agent), 40), 100)} · ` +
    `${fieldText(clip(oneLine(step.task), 70), 160)}${step.attempt > 1 ? ` ×${step.attempt}` : ""}` +
    `${elapsed === undefined ? "" : ` · ${formatSeconds(elapsed / 1000)}s`}` +
    (detail ? ` — ${fieldText(clip(oneLine(detail), 90), 200)}` : "")
  );
}

function colourOf(state: ProgressState): number {
  if (state.error) return hexColour(STATE_COLOUR.failed);
  if (state.finished)
    return hexColour(
      state.steps.some((step) => step.status === "failed") ? OUTCOME_COLOUR.partial : OUTCOME_COLOUR.success,
    );
  if (pendingApprovals(state).length > 0) return hexColour(STATE_COLOUR.waiting);
  return hexColour(STATE_COLOUR.running);
}

function build(
  state: ProgressState,
  locale: Locale,
  now: string | undefined,
  maxSteps: number,
): DiscordEmbed {
  const icon = state.error ? "⚠️" : state.finished ? "✅" : "🐙";
  const selection = selectProgressSteps(state, maxSteps, locale);
  const lines = selection.shown.map((step) => stepLine(step, now ?? state.updatedAt));
  if (selection.moreText) lines.push(`*${fieldText(selection.moreText, 300)}*`);
  if (state.replanned) lines.push(`🔁 ${fieldText(t(locale, "progress.replanned"))}`);
  for (const approval of pendingApprovals(state))
    lines.push(`✋ ${fieldText(t(locale, "progress.waiting_for", { step: approval.step }))}`);
  if (state.error) lines.push(`⚠️ ${fieldText(oneLine(state.error.message), 1500)}`);
  const elapsed = runElapsedMs(state, now);
  const footer = [
    progressStatusText(state, locale),
    progressHeadline(state, locale),
    elapsed === undefined ? "" : `⏱️ ${formatSeconds(elapsed / 1000)}s`,
  ]
    .filter((part) => part.length > 0)
    .join("  ·  ");
  return {
    title: `${icon} ${progressTitle(state, locale)}`,
    description: lines.length > 0 ? lines.join("\n") : fieldText(t(locale, "progress.no_plan")),
    color: colourOf(state),
    footer: { text: clip(footer, DISCORD_LIMITS.footerText) },
  };
}

function fits(embed: DiscordEmbed): boolean {
  return (
    (embed.description?.length ?? 0) <= DISCORD_LIMITS.embedDescription &&
    embedLength(embed) <= DISCORD_LIMITS.embedTotal
  );
}

/** The progress embed to post once and then edit; `now` (ISO) measures running steps. */
export function renderProgress(
  state: ProgressState,
  locale: Locale,
  options: { now?: string } = {},
): DiscordMessage {
  let maxSteps = MAX_STEPS;
  let embed = build(state, locale, options.now, maxSteps);
  while (!fits(embed) && maxSteps > 1) {
    maxSteps = Math.floor(maxSteps / 2);
    embed = build(state, locale, options.now, maxSteps);
  }
  if (!fits(embed))
    embed = { ...embed, description: clip(embed.description ?? "", DISCORD_LIMITS.embedDescription - 100) };
  return { embeds: [embed], allowed_mentions: NO_MENTIONS };
}
