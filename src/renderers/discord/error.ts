import type { RunEventOf } from "../../conversations/events.js";
import { t } from "../../i18n/index.js";
import type { Locale } from "../../vocabulary/index.js";
import { STATE_COLOUR } from "../view.js";
import { customId, DISCORD_ACTIONS, discordButton } from "./approval.js";
import type { DiscordMessage } from "./limits.js";
import { hexColour } from "./markdown.js";
import { fieldText, NO_MENTIONS } from "./pack.js";

/** A failed run, said politely, with a retry button when the caller can retry (its id is opaque). */
export function renderError(
  event: RunEventOf<"error">,
  locale: Locale,
  options: { retryId?: string | undefined } = {},
): DiscordMessage {
  const message = event.message.trim() || t(locale, `error.${event.kind}`);
  const retry = options.retryId !== undefined;
  return {
    embeds: [
      {
        title: `⚠️ ${t(locale, "error.title")}`,
        description: `${fieldText(message, 3000)}${retry ? `\n\n${fieldText(t(locale, "error.retry_hint"))}` : ""}`,
        color: hexColour(STATE_COLOUR.failed),
      },
    ],
    ...(retry
      ? {
          components: [
            {
              type: 1 as const,
              components: [
                discordButton(
                  `🔁 ${t(locale, "error.retry")}`,
                  1,
                  customId(DISCORD_ACTIONS.retry, options.retryId ?? ""),
                ),
              ],
            },
          ],
        }
      : {}),
    allowed_mentions: NO_MENTIONS,
  };
}
