export { approvalCardOf } from "./approval-card.js";
export { collect, EventChannel } from "./channel.js";
export { type DescribedError, describeError } from "./errors.js";
export type { ApprovalCard, RunEvent, RunEventOf, RunStatus } from "./events.js";
export {
  ConversationService,
  type ConversationServiceOptions,
  type ConversationSettings,
  settingsFromConfig,
} from "./service.js";
export type * from "./types.js";
