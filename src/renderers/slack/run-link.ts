import { t } from "../../i18n/index.js";
import type { Locale } from "../../vocabulary/index.js";
import { actions, linkButton, type SlackBlock } from "./blocks.js";

/**
 * The "View run" button under an answer, opening the run's live page. Slack sends a click on a link
 * button to the app too; the adapter acknowledges this action id and does nothing else.
 */
export const SLACK_VIEW_RUN_ACTION = "octo_view_run";

export function viewRunBlocks(url: string | undefined, locale: Locale): SlackBlock[] {
  const button = url
    ? linkButton(`🔎 ${t(locale, "result.view_run")}`, SLACK_VIEW_RUN_ACTION, url)
    : undefined;
  return button ? [actions([button], "octo_view_run")] : [];
}
