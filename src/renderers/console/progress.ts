import type { RunEvent } from "../../conversations/events.js";
import { t } from "../../i18n/index.js";
import { clip, type Locale, oneLine } from "../../vocabulary/index.js";
import { type ProgressState, runElapsedMs, stepElapsedMs } from "../progress.js";
import { pendingApprovals, progressHeadline, progressStatusText, progressTitle } from "../progress-view.js";
import { stateLabel } from "../summary.js";
import { formatSeconds } from "../text.js";
import type { ConsoleMessage } from "./result.js";
import { STATE_SYMBOL, terminalSafe } from "./text.js";

/**
 * Progress in the terminal: the whole card for a redraw, and one line per event for consoles that
 * print as they go rather than redraw.
 */

export function renderProgress(
  state: ProgressState,
  locale: Locale,
  options: { now?: string } = {},
): ConsoleMessage {
  const now = options.now ?? state.updatedAt;
  const elapsed = runElapsedMs(state, now);
  const lines = [
    `${progressTitle(state, locale)} — ${progressStatusText(state, locale)} · ${progressHeadline(state, locale)}${elapsed === undefined ? "" : ` · ${formatSeconds(elapsed / 1000)}s`}`,
  ];
  for (const step of state.steps) {
    const ms = stepElapsedMs(step, now);
    const detail = step.status === "failed" ? (step.error ?? step.summary) : undefined;
    lines.push(
      `  ${STATE_SYMBOL[step.status]} #${step.id} [${oneLine(step.agent)}] ${clip(oneLine(step.task), 100)}` +
        `${ms === undefined ? "" : ` (${formatSeconds(ms / 1000)}s)`}${detail ? ` — ${clip(oneLine(detail), 160)}` : ""}`,
    );
  }
  if (state.replanned) lines.push(t(locale, "progress.replanned"));
  for (const approval of pendingApprovals(state))
    lines.push(t(locale, "progress.waiting_for", { step: approval.step }));
  if (state.error) lines.push(`⚠ ${oneLine(state.error.message)}`);
  return { text: terminalSafe(lines.join("\n")) };
}

/** One line about one event, or undefined for events the result itself will show. */
export function renderEventLine(event: RunEvent, locale: Locale): string | undefined {
  switch (event.type) {
    case "status":
      return event.status === "done"
        ? undefined
        : terminalSafe(`… ${event.message || t(locale, `status.${event.status}`)}`);
    case "plan":
      return terminalSafe(
        [
          // The planning status line came just before; this one presents the plan itself.
          event.replan
            ? t(locale, "progress.replanned")
            : t(locale, "progress.plan_title", { count: event.steps.length }),
          ...event.steps.map(
            (step) =>
              `  ${STATE_SYMBOL.pending} #${step.id} [${oneLine(step.agent)}] ${clip(oneLine(step.task), 100)}`,
          ),
        ].join("\n"),
      );
    case "step_started":
      return terminalSafe(
        `${STATE_SYMBOL.running} #${event.step_id} [${oneLine(event.agent)}] ${clip(oneLine(event.task), 100)}${event.attempt > 1 ? ` ×${event.attempt}` : ""}`,
      );
    case "step_finished": {
      const detail = event.status === "failed" ? (event.error ?? event.summary) : event.summary;
      return terminalSafe(
        `${STATE_SYMBOL[event.status]} #${event.step_id} [${oneLine(event.agent)}] ${stateLabel(event.status, locale)} (${formatSeconds(event.ms / 1000)}s)${detail ? ` — ${clip(oneLine(detail), 160)}` : ""}`,
      );
    }
    case "approval_requested":
      return terminalSafe(
        `${STATE_SYMBOL.waiting} ${t(locale, "progress.waiting_for", { step: event.approval.step })}`,
      );
    case "approval_decided":
      return terminalSafe(`✋ #${event.step} ${t(locale, `decision.${event.decision}`)} (${event.by})`);
    case "approval_reopened":
    case "result":
      return undefined;
    case "error":
      return terminalSafe(`⚠ ${oneLine(event.message)}`);
  }
}
