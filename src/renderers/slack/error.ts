import type { RunEventOf } from "../../conversations/events.js";
import { t } from "../../i18n/index.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import { SLACK_ACTIONS } from "./approval.js";
import { actions, button, context, mrkdwnSections, type SlackBlock, type SlackMessage } from "./blocks.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { fallbackText } from "./pack.js";

/** A failed run, said politely, with a retry button when the caller can retry (its id is opaque). */
export function renderError(
  event: RunEventOf<"error">,
  locale: Locale,
  options: { retryId?: string | undefined } = {},
): SlackMessage {
  const message = event.message.trim() || t(locale, `error.${event.kind}`);
  const blocks: SlackBlock[] = [
    ...mrkdwnSections(`⚠️ *${escapeMrkdwn(t(locale, "error.title"))}*\n${escapeMrkdwn(clip(message, 2000))}`),
  ];
  if (options.retryId !== undefined) {
    blocks.push(
      ...context(escapeMrkdwn(t(locale, "error.retry_hint"))),
      actions([button(`🔁 ${t(locale, "error.retry")}`, SLACK_ACTIONS.retry, options.retryId, "primary")]),
    );
  }
  return { text: fallbackText(`${t(locale, "error.title")}: ${message}`), blocks };
}
