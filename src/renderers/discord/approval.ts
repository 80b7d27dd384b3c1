import type { ApprovalCard } from "../../conversations/events.js";
import { type MessageKey, t } from "../../i18n/index.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import { formatUtc } from "../text.js";
import type { ApprovalDecided } from "../types.js";
import { STATE_COLOUR } from "../view.js";
import { DISCORD_LIMITS, type DiscordActionButton, type DiscordMessage } from "./limits.js";
import { discordTime, discordUser, hexColour } from "./markdown.js";
import { fieldText, NO_MENTIONS } from "./pack.js";

/**
 * The approval card as an embed with approve / reject / edit buttons whose `custom_id` carries only the
 * opaque approval id (`octo:approve:<id>`). The decided card shows who, when and what, and sends an
 * empty component list so the edit removes the buttons.
 */

export const DISCORD_ACTIONS = {
  approve: "octo:approve:",
  reject: "octo:reject:",
  edit: "octo:edit:",
  retry: "octo:retry:",
  /** Followed by the rating and the run (`up:run_…`, see feedbackValue). */
  feedback: "octo:feedback:",
} as const;

const DECISION_COLOUR = {
  approve: STATE_COLOUR.completed,
  reject: STATE_COLOUR.failed,
  edit: STATE_COLOUR.running,
} as const;
const DECISION_EMOJI = { approve: "✅", reject: "🚫", edit: "✏️" } as const;

export function customId(prefix: string, id: string): string {
  const value = `${prefix}${id}`;
  if (id.length === 0 || value.length > DISCORD_LIMITS.customId) {
    throw new RangeError(
      `custom_id "${clip(value, 40)}" must be 1-${DISCORD_LIMITS.customId} characters; use a shorter opaque id`,
    );
  }
  return value;
}

export function discordButton(
  label: string,
  style: DiscordActionButton["style"],
  id: string,
): DiscordActionButton {
  return { type: 2, style, label: clip(label, DISCORD_LIMITS.buttonLabel), custom_id: id };
}

export function renderApprovalCard(
  card: ApprovalCard,
  locale: Locale,
  decided?: ApprovalDecided,
): DiscordMessage {
  const fields = [
    { name: t(locale, "card.task"), value: fieldText(card.task) },
    { name: t(locale, "card.reason"), value: fieldText(card.reason) },
  ];
  const requester = fieldText(t(locale, "card.requested_by", { requester: "\u0000" })).replace(
    "\u0000",
    discordUser(card.requester),
  );
  if (decided) {
    if (decided.decision === "edit" && decided.edited_task)
      fields.push({ name: t(locale, "card.edited_task"), value: fieldText(decided.edited_task) });
    const line = fieldText(t(locale, "card.decided", { decision: "\u0001", by: "\u0002", at: "\u0003" }))
      .replace("\u0001", `**${t(locale, `decision.${decided.decision}` as MessageKey)}**`)
      .replace("\u0002", discordUser(decided.by))
      .replace("\u0003", discordTime(decided.at, formatUtc(decided.at)));
    return {
      embeds: [
        {
          title: `${DECISION_EMOJI[decided.decision]} ${t(locale, "card.approval_title")}`,
          description: `**${fieldText(t(locale, "card.step", { step: card.step, agent: card.agent }), 1000)}**\n${requester}\n\n${line}`,
          color: hexColour(DECISION_COLOUR[decided.decision]),
          fields,
        },
      ],
      components: [],
      allowed_mentions: NO_MENTIONS,
    };
  }
  const expires = fieldText(t(locale, "card.expires", { at: "\u0000" })).replace(
    "\u0000",
    discordTime(card.expires_at, formatUtc(card.expires_at)),
  );
  return {
    embeds: [
      {
        title: `✋ ${t(locale, "card.approval_title")}`,
        description: `**${fieldText(t(locale, "card.step", { step: card.step, agent: card.agent }), 1000)}**\n${requester}\n⏳ ${expires}`,
        color: hexColour(STATE_COLOUR.waiting),
        fields,
      },
    ],
    components: [
      {
        type: 1,
        components: [
          discordButton(t(locale, "card.approve"), 3, customId(DISCORD_ACTIONS.approve, card.approval_id)),
          discordButton(t(locale, "card.reject"), 4, customId(DISCORD_ACTIONS.reject, card.approval_id)),
          discordButton(t(locale, "card.edit"), 2, customId(DISCORD_ACTIONS.edit, card.approval_id)),
        ],
      },
    ],
    allowed_mentions: NO_MENTIONS,
  };
}
