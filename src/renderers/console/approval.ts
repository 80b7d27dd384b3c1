import type { ApprovalCard } from "../../conversations/events.js";
import { type MessageKey, t } from "../../i18n/index.js";
import type { Locale } from "../../vocabulary/index.js";
import { formatUtc } from "../text.js";
import type { ApprovalDecided } from "../types.js";
import type { ConsoleMessage } from "./result.js";
import { indent, terminalSafe } from "./text.js";

/** The approval prompt in the terminal, and its decided state (who, when, what). */
export function renderApprovalCard(
  card: ApprovalCard,
  locale: Locale,
  decided?: ApprovalDecided,
): ConsoleMessage {
  const lines = [
    `✋ ${t(locale, "card.approval_title")} — ${t(locale, "card.step", { step: card.step, agent: card.agent })}`,
    `${t(locale, "card.task")}:`,
    indent(card.task),
    `${t(locale, "card.reason")}: ${card.reason}`,
    t(locale, "card.requested_by", { requester: card.requester }),
  ];
  if (decided) {
    if (decided.decision === "edit" && decided.edited_task)
      lines.push(`${t(locale, "card.edited_task")}:`, indent(decided.edited_task));
    lines.push(
      t(locale, "card.decided", {
        decision: t(locale, `decision.${decided.decision}` as MessageKey),
        by: decided.by,
        at: formatUtc(decided.at),
      }),
    );
  } else {
    lines.push(
      t(locale, "card.expires", { at: formatUtc(card.expires_at) }),
      t(locale, "card.console_choices"),
    );
  }
  return { text: terminalSafe(lines.join("\n")) };
}
