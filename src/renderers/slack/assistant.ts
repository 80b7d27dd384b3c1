import { type MessageKey, t } from "../../i18n/index.js";
import { clip, type Locale, oneLine } from "../../vocabulary/index.js";
import type { ProgressState } from "../progress.js";
import { pendingApprovals } from "../progress-view.js";

/**
 * What the assistant surface (the side panel, and DM threads with the assistant view on) shows besides
 * messages: the status under the thread while a run works, and the prompts a new thread suggests.
 * Slack shows a status as "<App name> <status>", so statuses start with the verb.
 */

/** Undocumented as a limit; a status is one short line, so ours stays well under a line's width. */
const STATUS_TASK_CHARS = 100;

/**
 * The running step (the first, when several run in parallel), or a general "working" while the run
 * moves between steps; empty, which clears the status, once it finished, failed or waits for a person.
 */
export function renderAssistantStatus(state: ProgressState, locale: Locale): string {
  if (state.finished || state.error) return "";
  const running = state.steps.find((step) => step.status === "running");
  if (running)
    return t(locale, "assistant.status_step", {
      step: running.id,
      agent: running.agent,
      task: clip(oneLine(running.task), STATUS_TASK_CHARS),
    });
  if (state.status === "waiting_approval" || pendingApprovals(state).length > 0) return "";
  return state.status === "queued" || state.status === "done" ? "" : t(locale, "assistant.status_working");
}

/** The output formats a new thread suggests (Slack shows at most four prompts: `all` is left out). */
const PROMPTED_FORMATS = ["chat", "graph", "report", "json"] as const;

export interface SuggestedPrompts {
  title: string;
  prompts: { title: string; message: string }[];
}

/**
 * One prompt per output format, each message starting with its format (`graph: …`), which a message in
 * an assistant thread may do to choose the format.
 */
export function renderSuggestedPrompts(locale: Locale): SuggestedPrompts {
  return {
    title: t(locale, "assistant.prompts_title"),
    prompts: PROMPTED_FORMATS.map((format) => ({
      title: t(locale, `assistant.prompt_${format}_title` as MessageKey),
      message: t(locale, `assistant.prompt_${format}` as MessageKey),
    })),
  };
}
