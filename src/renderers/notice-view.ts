import { t } from "../i18n/index.js";
import { clip, type Locale, OUTPUT_FORMATS, type Rating } from "../vocabulary/index.js";
import type { HistoryView, Notice, RatingCounts } from "./types.js";

/**
 * A notice's words, once for every platform: catalog texts keep their light markup (`*bold*`, `` `code` ``,
 * which Slack and Discord both read); what people or the model wrote goes through the platform's `escape`.
 */
export interface NoticeMarkup {
  escape(text: string): string;
  /** A mention of a platform user id. */
  user(id: string): string;
  /** The platform's name, as a person reads it ("Slack"). */
  platform: string;
}

const REQUEST_CHARS = 2_500;
const TITLE_CHARS = 200;
const TURN_CHARS = 150;
const TURNS_SHOWN = 10;

export const RATING_EMOJI: Record<Rating, string> = { up: "👍", down: "👎" };

/** " · 👍 2 · 👎 1" after a turn whose answer was rated; nothing for one nobody rated. */
function tallySuffix(counts: RatingCounts, locale: Locale): string {
  return counts.up + counts.down > 0 ? ` · ${t(locale, "feedback.tally", { ...counts })}` : "";
}

function historyText(history: HistoryView, locale: Locale, command: string, m: NoticeMarkup): string {
  const rated = history.feedback.up + history.feedback.down > 0;
  return [
    t(locale, "notice.history_title", {
      title: m.escape(clip(history.title, TITLE_CHARS)),
      turns: history.turnCount,
      status: m.escape(history.status),
    }),
    ...history.turns.slice(-TURNS_SHOWN).map(
      (turn) =>
        t(locale, "notice.history_turn", {
          index: turn.index,
          request: m.escape(clip(turn.request, TURN_CHARS)),
        }) + tallySuffix(turn.feedback, locale),
    ),
    ...(rated ? [t(locale, "notice.history_feedback", { ...history.feedback })] : []),
    ...history.pending.map((approval) =>
      t(locale, "notice.history_pending", { step: approval.step, agent: m.escape(approval.agent) }),
    ),
    t(locale, "notice.history_checkpoints", { count: history.checkpoints, command: m.escape(command) }),
  ].join("\n");
}

function feedbackText(notice: Extract<Notice, { kind: "feedback" }>, locale: Locale): string {
  const emoji = RATING_EMOJI[notice.rating];
  if (notice.previous === undefined)
    return t(locale, notice.rating === "up" ? "feedback.recorded_up" : "feedback.recorded_down");
  return t(locale, notice.previous === notice.rating ? "feedback.unchanged" : "feedback.changed", { emoji });
}

/** A slash command's request as its thread's first message shows it: quoted, and shortened visibly. */
function requestText(notice: Extract<Notice, { kind: "request" }>, locale: Locale, m: NoticeMarkup): string {
  const shown = clip(notice.request, REQUEST_CHARS);
  return [
    t(locale, "notice.request", {
      user: m.user(notice.user),
      format: notice.format ? t(locale, "notice.request_format", { format: notice.format }) : "",
      request: `>${m.escape(shown).replace(/\n/g, "\n>")}`,
    }),
    ...(shown === notice.request ? [] : [t(locale, "notice.request_shortened")]),
  ].join("\n");
}

/** The notice as one text in the platform's markup. */
export function noticeText(notice: Notice, locale: Locale, m: NoticeMarkup): string {
  switch (notice.kind) {
    case "usage":
      if (notice.problem === "unknown_format")
        return m.escape(
          t(locale, "error.format_unknown", { format: notice.detail, formats: OUTPUT_FORMATS.join(", ") }),
        );
      return t(locale, notice.problem === "bad_rewind" ? "notice.usage_bad_rewind" : "notice.usage_empty", {
        command: m.escape(notice.command),
      });
    case "history":
      return historyText(notice.history, locale, notice.command, m);
    case "no_conversation":
      return m.escape(t(locale, "notice.history_none"));
    case "nothing_to_forget":
      return m.escape(t(locale, "notice.nothing_to_forget"));
    case "forgotten":
      return t(locale, "notice.forgotten", { title: m.escape(clip(notice.title, TITLE_CHARS)) });
    case "rewound":
      return m.escape(t(locale, "notice.rewound", { n: notice.turns, turns: notice.remaining }));
    case "failed":
      return m.escape(notice.message);
    case "not_in_channel":
      return t(locale, "notice.not_in_channel");
    case "missing_permissions":
      return t(locale, "notice.missing_permissions", { permissions: m.escape(notice.permissions) });
    case "form_unavailable":
      return m.escape(t(locale, "notice.form_unavailable"));
    case "upload_failed":
      return t(locale, "notice.upload_failed", { platform: m.platform, error: notice.error });
    case "request":
      return requestText(notice, locale, m);
    case "feedback":
      return m.escape(feedbackText(notice, locale));
  }
}
