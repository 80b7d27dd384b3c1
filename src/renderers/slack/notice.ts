import { clip, type Locale } from "../../vocabulary/index.js";
import { noticeText } from "../notice-view.js";
import type { Notice } from "../types.js";
import { mrkdwnSections, type SlackMessage } from "./blocks.js";
import { renderHelp } from "./help.js";
import { SLACK_LIMITS } from "./limits.js";
import { escapeMrkdwn, slackUser } from "./mrkdwn.js";

/**
 * Short replies outside a run as Slack messages: command answers in mrkdwn sections (usage followed by
 * the help), and plain text for a slash command's thread root and notes about refused posts.
 */
const MARKUP = { escape: escapeMrkdwn, user: slackUser, platform: "Slack" };

/** Kinds that go out as plain text (`blocks: []`), as a person's own message would. */
const PLAIN: ReadonlySet<Notice["kind"]> = new Set(["request", "not_in_channel", "upload_failed"]);

export function renderNotice(notice: Notice, locale: Locale): SlackMessage {
  const mrkdwn = noticeText(notice, locale, MARKUP);
  if (PLAIN.has(notice.kind)) return { text: clip(mrkdwn, SLACK_LIMITS.fallbackText), blocks: [] };
  const help = notice.kind === "usage" ? renderHelp(locale, { commandName: notice.command }).blocks : [];
  return {
    // Already mrkdwn with what people wrote escaped, so the notification text is the same, clipped.
    text: clip(mrkdwn, SLACK_LIMITS.fallbackText),
    blocks: [...mrkdwnSections(mrkdwn), ...help].slice(0, SLACK_LIMITS.blocksPerMessage),
  };
}
