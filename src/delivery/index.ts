/**
 * The platform-neutral delivery layer: a run's events to a platform's thread, the decide and retry flows,
 * the chat command's answers, attachment reading. A platform supplies a `ThreadSink` per thread and its
 * `PlatformRenderer`; see the README's "How to add a platform".
 */

export { ApproverGroups, type ApproverGroupsOptions, Approvers } from "./approvers.js";
export {
  type AttachmentReader,
  DownloadError,
  fetchWithoutToken,
  fetchWithToken,
  mayCarryToken,
  readAttachments,
} from "./attachment-download.js";
export {
  type FileRef,
  isBinaryTable,
  isTextLike,
  MAX_ATTACHMENT_BYTES,
  MAX_DOWNLOADS,
  planAttachments,
} from "./attachments.js";
export { BackgroundTasks } from "./background.js";
export { BoundedMap } from "./bounded-map.js";
export { type CardAction, onCardAction, onEditSubmitted } from "./card-actions.js";
export { type OctoCommand, parseOctoCommand, splitFormatPrefix } from "./command.js";
export {
  type AnsweredCommand,
  answerCommand,
  type CommandPlace,
  type OpenedThread,
} from "./commands.js";
export {
  createDelivery,
  type Delivery,
  type DeliverySetup,
  replyLocale,
  settleDeliveries,
  USER_LOCALES_CAPACITY,
} from "./context.js";
export { type CardClick, decide, openEditForm } from "./decide.js";
export { acceptMessage, type InboundMessage } from "./intake.js";
export { retry } from "./retry.js";
export { deliverRun, type RunTarget } from "./run-delivery.js";
export {
  RUN_PAGE_PREFIX,
  type RunLinkClaims,
  type RunLinkSettings,
  runLinkSettings,
  runLinksFromConfig,
  verifyRunLink,
} from "./run-links.js";
export { attachDelivery, type RunRequest, runRequest } from "./runs.js";
export { isStreamRefused, type ProgressStream, StreamRefused, type ThreadSink } from "./sink.js";
