import { t } from "../../i18n/index.js";
import { feedbackValue, type Locale, type Rating } from "../../vocabulary/index.js";
import { RATING_EMOJI } from "../notice-view.js";
import { customId, DISCORD_ACTIONS, discordButton } from "./approval.js";
import type { DiscordActionRow } from "./limits.js";

/**
 * 👍 / 👎 under an answer: one action row of two grey buttons whose custom_id names only the rating and
 * the run (`octo:feedback:up:run_…`); who clicked comes with the interaction.
 */
export function feedbackRow(runId: string, locale: Locale): DiscordActionRow {
  const button = (rating: Rating) =>
    discordButton(
      `${RATING_EMOJI[rating]} ${t(locale, rating === "up" ? "feedback.positive_label" : "feedback.negative_label")}`,
      2,
      customId(DISCORD_ACTIONS.feedback, feedbackValue(rating, runId)),
    );
  return { type: 1, components: [button("up"), button("down")] };
}
