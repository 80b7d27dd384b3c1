import { t } from "../../i18n/index.js";
import { clip, type Locale, oneLine } from "../../vocabulary/index.js";
import { context, type SlackBlock, type SlackMessage } from "./blocks.js";
import { SLACK_LIMITS, slackBlockTextLength } from "./limits.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/**
 * Packs blocks into as few messages as Slack allows (block count and the text budget), in order. Follow-up
 * messages open with a "continued (2/3)" line, so a reader sees they belong together.
 */

/** Room kept in every message for the "continued" line. */
const MARKER_RESERVE = { blocks: 1, chars: 80 };

/** The notification text for a message: one line, escaped, well under the fallback limit. */
export function fallbackText(raw: string): string {
  // Escaping can grow text up to five-fold (`&` -> `&amp;`), so clip first with room to spare.
  const text = escapeMrkdwn(clip(oneLine(raw), 500));
  return text.length > 0 ? text : "Octostrator";
}

/**
 * `continuing`: the messages follow one already in the thread (a streamed answer's opening), so every one
 * of them is marked as a continuation, counted from 2.
 */
export function packSlack(
  blocks: SlackBlock[],
  fallback: string,
  locale: Locale,
  options: { continuing?: boolean } = {},
): SlackMessage[] {
  const maxBlocks = SLACK_LIMITS.blocksPerMessage - MARKER_RESERVE.blocks;
  const maxChars = SLACK_LIMITS.blockTextBudget - MARKER_RESERVE.chars;
  const pages: SlackBlock[][] = [];
  let page: SlackBlock[] = [];
  let chars = 0;
  for (const block of blocks) {
    const length = slackBlockTextLength(block);
    if (page.length > 0 && (page.length + 1 > maxBlocks || chars + length > maxChars)) {
      pages.push(page);
      page = [];
      chars = 0;
    }
    // A divider that would open a page carries nothing; leave it out.
    if (page.length === 0 && block.type === "divider") continue;
    page.push(block);
    chars += length;
  }
  if (page.length > 0) pages.push(page);
  if (pages.length === 0) pages.push(context(escapeMrkdwn(oneLine(fallback)) || "…"));

  const first = options.continuing ? 1 : 0;
  return pages.map((blocks, index) => {
    if (index + first === 0) return { text: fallbackText(fallback), blocks };
    const marker = t(locale, "result.continued", {
      index: index + first + 1,
      count: pages.length + first,
    });
    return { text: fallbackText(marker), blocks: [...context(`_${escapeMrkdwn(marker)}_`), ...blocks] };
  });
}
