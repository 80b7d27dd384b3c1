import type { ApprovalCard, RunEventOf } from "../../conversations/events.js";
import { applyRunEvent, initialProgress, type ProgressState } from "../../renderers/progress.js";
import {
  type ApprovalDecided,
  renderApprovalCard,
  renderError,
  renderHelp,
  renderProgress,
  renderResult,
  SLACK_ACTIONS,
} from "../../renderers/slack/index.js";
import type { RunResult } from "../../supervisor/types.js";
import type { Locale } from "../../vocabulary/index.js";
import type { SlackFile, SlackMessage } from "./outbox.js";

export type { ApprovalDecided };
/**
 * The one seam between the adapter and the Slack renderers: everything a person sees in a thread is
 * rendered there; the adapter only sends it.
 */
export { applyRunEvent, initialProgress, type ProgressState, SLACK_ACTIONS };

export function progressMessage(state: ProgressState, locale: Locale): SlackMessage {
  return renderProgress(state, locale);
}

export async function resultMessages(
  result: RunResult,
  locale: Locale,
): Promise<{ messages: SlackMessage[]; files: SlackFile[] }> {
  return renderResult(result, locale);
}

export function approvalMessage(card: ApprovalCard, locale: Locale, decided?: ApprovalDecided): SlackMessage {
  return renderApprovalCard(card, locale, decided);
}

export function errorMessage(event: RunEventOf<"error">, locale: Locale, retryId?: string): SlackMessage {
  return renderError(event, locale, { retryId });
}

export function helpMessage(locale: Locale, commandName: string): SlackMessage {
  return renderHelp(locale, { commandName });
}
