import { t } from "../../i18n/index.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import { DISCORD_LIMITS, type DiscordActionRow, type DiscordMessage } from "./limits.js";

/** The "View run" link button (style 5) opening the run's live page; Discord sends the bot nothing for it. */
export function viewRunRow(url: string | undefined, locale: Locale): DiscordActionRow | undefined {
  if (!url || url.length > DISCORD_LIMITS.buttonUrl) return undefined;
  const label = clip(`🔎 ${t(locale, "result.view_run")}`, DISCORD_LIMITS.buttonLabel);
  return { type: 1, components: [{ type: 2, style: 5, label, url }] };
}

/** Puts the button under the last message of an answer, where a reader finishes it. */
export function withViewRun(messages: DiscordMessage[], url: string | undefined, locale: Locale): void {
  const row = viewRunRow(url, locale);
  const last = messages.at(-1);
  if (!row || !last || (last.components?.length ?? 0) >= DISCORD_LIMITS.actionRows) return;
  last.components = [...(last.components ?? []), row];
}
