import type { Locale } from "../../vocabulary/index.js";
import { noticeText } from "../notice-view.js";
import { splitEscaped } from "../text.js";
import type { Notice } from "../types.js";
import { renderHelp } from "./help.js";
import { DISCORD_LIMITS, type DiscordMessage } from "./limits.js";
import { discordUser, escapeDiscord } from "./markdown.js";
import { NO_MENTIONS } from "./pack.js";

/** Short replies outside a run as embeds (usage followed by the help); long ones become several embeds. */
const MARKUP = { escape: escapeDiscord, user: discordUser, platform: "Discord" };

export function renderNotice(notice: Notice, locale: Locale): DiscordMessage {
  // What people and the model wrote is already escaped (mentions made inert) by MARKUP; the mention
  // of the person who asked is meant, and pings nobody (no mentions are allowed).
  const text = noticeText(notice, locale, MARKUP);
  const embeds = splitEscaped(text, DISCORD_LIMITS.embedDescription).map((description) => ({
    description,
  }));
  const help =
    notice.kind === "usage" ? (renderHelp(locale, { commandName: notice.command }).embeds ?? []) : [];
  return {
    embeds: [...embeds, ...help].slice(0, DISCORD_LIMITS.embedsPerMessage),
    allowed_mentions: NO_MENTIONS,
  };
}
