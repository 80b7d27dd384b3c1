import type { ApprovalCard } from "../../conversations/events.js";
import { type MessageKey, t } from "../../i18n/index.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import { formatUtc } from "../text.js";
import type { ApprovalDecided } from "../types.js";
import {
  actions,
  button,
  context,
  header,
  mrkdwnSections,
  type SlackBlock,
  type SlackMessage,
} from "./blocks.js";
import { escapeMrkdwn, slackDate, slackUser } from "./mrkdwn.js";
import { fallbackText } from "./pack.js";

/**
 * The approval card: what the step will do and why it needs a person, with approve / reject / edit
 * buttons that carry only the opaque approval id. Once decided, the same card shows who decided, when
 * and what, and has no buttons left to press.
 */

export const SLACK_ACTIONS = {
  approve: "octo_approve",
  reject: "octo_reject",
  edit: "octo_edit",
  retry: "octo_retry",
  feedback: "octo_feedback",
} as const;

/** Task and reason are clipped (with "…") so the card always stays one message that can be updated. */
const TASK_CHARS = 2800;
const REASON_CHARS = 1000;

const DECISION_EMOJI = { approve: "✅", reject: "🚫", edit: "✏️" } as const;

export function renderApprovalCard(
  card: ApprovalCard,
  locale: Locale,
  decided?: ApprovalDecided,
): SlackMessage {
  const blocks: SlackBlock[] = [
    header(`✋ ${t(locale, "card.approval_title")}`),
    ...mrkdwnSections(
      `*${escapeMrkdwn(t(locale, "card.step", { step: card.step, agent: card.agent }))}*\n` +
        `${escapeMrkdwn(t(locale, "card.requested_by", { requester: "\u0000" })).replace("\u0000", slackUser(card.requester))}`,
    ),
    ...mrkdwnSections(
      `*${escapeMrkdwn(t(locale, "card.task"))}*\n${escapeMrkdwn(clip(card.task, TASK_CHARS))}`,
    ),
    ...mrkdwnSections(
      `*${escapeMrkdwn(t(locale, "card.reason"))}*\n${escapeMrkdwn(clip(card.reason, REASON_CHARS))}`,
    ),
  ];
  if (decided) {
    const decision = t(locale, `decision.${decided.decision}` as MessageKey);
    const line = t(locale, "card.decided", { decision: "\u0001", by: "\u0002", at: "\u0003" });
    const text = escapeMrkdwn(line)
      .replace("\u0001", `*${escapeMrkdwn(decision)}*`)
      .replace("\u0002", slackUser(decided.by))
      .replace("\u0003", slackDate(decided.at, formatUtc(decided.at)));
    if (decided.decision === "edit" && decided.edited_task) {
      blocks.push(
        ...mrkdwnSections(
          `*${escapeMrkdwn(t(locale, "card.edited_task"))}*\n${escapeMrkdwn(clip(decided.edited_task, TASK_CHARS))}`,
        ),
      );
    }
    blocks.push(...context(`${DECISION_EMOJI[decided.decision]} ${text}`));
    return { text: fallbackText(`${t(locale, "card.approval_title")}: ${decision}`), blocks };
  }
  const expires = escapeMrkdwn(t(locale, "card.expires", { at: "\u0000" })).replace(
    "\u0000",
    slackDate(card.expires_at, formatUtc(card.expires_at)),
  );
  blocks.push(
    ...context(`⏳ ${expires}`),
    actions(
      [
        button(t(locale, "card.approve"), SLACK_ACTIONS.approve, card.approval_id, "primary"),
        button(t(locale, "card.reject"), SLACK_ACTIONS.reject, card.approval_id, "danger"),
        button(t(locale, "card.edit"), SLACK_ACTIONS.edit, card.approval_id),
      ],
      `octo_approval_${card.approval_id}`,
    ),
  );
  return { text: fallbackText(`${t(locale, "card.approval_title")}: ${card.task}`), blocks };
}
