import { t } from "../../i18n/index.js";
import { clip, feedbackValue, type Locale, type Rating } from "../../vocabulary/index.js";
import { RATING_EMOJI } from "../notice-view.js";
import { SLACK_ACTIONS } from "./approval.js";
import type { SlackBlock } from "./blocks.js";
import { SLACK_LIMITS } from "./limits.js";

/**
 * 👍 / 👎 under an answer: Slack's feedback buttons in a context_actions block. Each button's value
 * names only the rating and the run (see `feedbackValue`); who clicked comes with the click.
 */
export function feedbackBlock(runId: string, locale: Locale): SlackBlock {
  const button = (rating: Rating) => {
    const value = feedbackValue(rating, runId);
    if (value.length > SLACK_LIMITS.feedbackButtonValue)
      throw new RangeError(`feedback value longer than ${SLACK_LIMITS.feedbackButtonValue}`);
    return {
      text: { type: "plain_text" as const, text: RATING_EMOJI[rating], emoji: true },
      value,
      accessibility_label: clip(
        t(locale, rating === "up" ? "feedback.positive_label" : "feedback.negative_label"),
        SLACK_LIMITS.accessibilityLabel,
      ),
    };
  };
  return {
    type: "context_actions",
    block_id: clip(`octo_feedback_${runId}`, SLACK_LIMITS.blockId, ""),
    elements: [
      {
        type: "feedback_buttons",
        action_id: SLACK_ACTIONS.feedback,
        positive_button: button("up"),
        negative_button: button("down"),
      },
    ],
  };
}
