import { type PlatformRenderer, rendererOf } from "../types.js";
import { renderApprovalCard } from "./approval.js";
import { renderAssistantStatus } from "./assistant.js";
import type { SlackMessage } from "./blocks.js";
import { renderError } from "./error.js";
import { renderHelp } from "./help.js";
import { renderNotice } from "./notice.js";
import { renderProgress } from "./progress.js";
import { renderResult } from "./result.js";
import { slackStream } from "./stream.js";

export type { ApprovalDecided } from "../types.js";
export { renderApprovalCard, SLACK_ACTIONS } from "./approval.js";
export { renderAssistantStatus, renderSuggestedPrompts, type SuggestedPrompts } from "./assistant.js";
export type { SlackBlock, SlackButton, SlackMessage } from "./blocks.js";
export {
  EDIT_ACTION_ID,
  EDIT_BLOCK_ID,
  EDIT_CALLBACK_ID,
  renderEditModal,
  renderEditRefusal,
  type SlackModal,
} from "./edit-modal.js";
export { renderError } from "./error.js";
export { renderHelp } from "./help.js";
export {
  SLACK_LIMITS,
  SlackBlockSchema,
  SlackMessageSchema,
  SlackModalSchema,
  SlackStreamTaskSchema,
  SlackStreamUpdateSchema,
  slackBlockTextLength,
} from "./limits.js";
export { escapeMrkdwn, markdownToMrkdwn } from "./mrkdwn.js";
export { renderNotice } from "./notice.js";
export { renderProgress } from "./progress.js";
export { renderResult } from "./result.js";
export { SLACK_VIEW_RUN_ACTION } from "./run-link.js";
export { slackStream, stopBlocks } from "./stream.js";

/**
 * Slack's renderer: Block Kit messages whose `text` is the notification fallback (`blocks: []` is plain
 * text), and what its native progress stream shows.
 */
export const renderer: PlatformRenderer<SlackMessage> = {
  ...rendererOf(
    { renderApprovalCard, renderError, renderHelp, renderNotice, renderProgress, renderResult },
    (message) => (message.blocks.length > 0 ? { text: message.text, blocks: [] } : undefined),
  ),
  status: renderAssistantStatus,
  stream: slackStream,
};
