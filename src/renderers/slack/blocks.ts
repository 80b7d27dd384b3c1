import type { z } from "zod";
import { clip } from "../../vocabulary/index.js";
import { splitEscaped } from "../text.js";
import { SLACK_LIMITS, type SlackBlockSchema, type SlackButtonSchema } from "./limits.js";
import { plainSafe } from "./mrkdwn.js";

/**
 * The few Block Kit blocks we send, typed here (the architecture keeps `@slack/*` inside the Slack
 * adapter), with builders that respect the limits table: long text becomes several sections rather than
 * one that Slack would refuse.
 */

export type SlackBlock = z.infer<typeof SlackBlockSchema>;
export type SlackButton = z.infer<typeof SlackButtonSchema>;

/** What the Slack adapter posts: `text` is the notification fallback, `blocks` the message itself. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export function header(text: string): SlackBlock {
  return {
    type: "header",
    text: { type: "plain_text", text: clip(plainSafe(text), SLACK_LIMITS.headerText), emoji: true },
  };
}

/** Sections for mrkdwn that is already escaped or formatted, split at line and word boundaries. */
export function mrkdwnSections(mrkdwn: string): SlackBlock[] {
  return splitEscaped(mrkdwn, SLACK_LIMITS.sectionText).map((chunk) => ({
    type: "section",
    text: { type: "mrkdwn", text: chunk, verbatim: true },
  }));
}

/** A context line of mrkdwn; several context blocks when it is longer than one text object allows. */
export function context(mrkdwn: string): SlackBlock[] {
  return splitEscaped(mrkdwn, SLACK_LIMITS.textObject).map((chunk) => ({
    type: "context",
    elements: [{ type: "mrkdwn", text: chunk, verbatim: true }],
  }));
}

export function divider(): SlackBlock {
  return { type: "divider" };
}

export function button(
  label: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): SlackButton {
  if (actionId.length > SLACK_LIMITS.actionId)
    throw new RangeError(`action_id longer than ${SLACK_LIMITS.actionId}`);
  if (value.length > SLACK_LIMITS.buttonValue) {
    // Values are opaque ids from the store; anything longer belongs server-side, not in the button.
    throw new RangeError(`button value longer than ${SLACK_LIMITS.buttonValue}; store it and pass its id`);
  }
  return {
    type: "button",
    text: { type: "plain_text", text: clip(plainSafe(label), SLACK_LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** A button that opens `url` in the browser; undefined when the URL is longer than Slack takes. */
export function linkButton(label: string, actionId: string, url: string): SlackButton | undefined {
  if (url.length > SLACK_LIMITS.buttonUrl) return undefined;
  return {
    type: "button",
    text: { type: "plain_text", text: clip(plainSafe(label), SLACK_LIMITS.buttonText), emoji: true },
    action_id: actionId,
    url,
  };
}

export function actions(buttons: SlackButton[], blockId?: string): SlackBlock {
  return {
    type: "actions",
    elements: buttons.slice(0, SLACK_LIMITS.actionsElements),
    ...(blockId ? { block_id: clip(blockId, SLACK_LIMITS.blockId) } : {}),
  };
}
