export { approvalCardOf } from "./approval-card.js";
export { collect, EventChannel } from "./channel.js";
export {
  checkDecision,
  DECISION_OF_STATUS,
  type Decider,
  type DecisionCheck,
  STATUS_OF_DECISION,
} from "./decision.js";
export { type DescribedError, describeError } from "./errors.js";
export {
  type ApprovalCard,
  ApprovalCardSchema,
  type ApprovalDecision,
  RUN_STATUSES,
  type RunEvent,
  type RunEventOf,
  RunEventSchema,
  type RunResult,
  RunResultSchema,
  type RunStatus,
} from "./events.js";
export { type DeliveryLedger, storeLedger } from "./ledger.js";
export { type PruneOptions, type PruneReport, RETENTION_TASK } from "./retention.js";
export { errorEvent } from "./run-events.js";
export { parseRunEventId, runEventId } from "./run-log.js";
export { ConversationService } from "./service.js";
export {
  type ConversationServiceOptions,
  type ConversationSettings,
  settingsFromConfig,
} from "./settings.js";
export type * from "./types.js";
