export type { ApprovalDecided } from "../types.js";
export { renderApprovalCard, SLACK_ACTIONS } from "./approval.js";
export type { SlackBlock, SlackButton, SlackMessage } from "./blocks.js";
export { renderError } from "./error.js";
export { renderHelp } from "./help.js";
export { SLACK_LIMITS, SlackBlockSchema, SlackMessageSchema, slackBlockTextLength } from "./limits.js";
export { escapeMrkdwn, markdownToMrkdwn } from "./mrkdwn.js";
export { renderProgress } from "./progress.js";
export { renderResult } from "./result.js";
