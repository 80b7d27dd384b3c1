export { blockProblems } from "./block-checks.js";
export type {
  DeliveryResult,
  EventDeliveryOptions,
  HttpDeliveryOptions,
  SlackDelivery,
  Tampering,
} from "./deliver.js";
export { HttpDelivery, SocketDelivery } from "./deliver.js";
export { SlackEmulator, type SlackEmulatorOptions } from "./emulator.js";
export { type Fault, FaultPlan, type FaultTiming } from "./faults.js";
export { fileObject, fileTypeOf, mimeTypeOf } from "./files.js";
export { type BuiltEvent, type EventCallback, findActionElement, PayloadFactory } from "./payloads.js";
export { type CallPredicate, CallRecorder, type RecordedCall } from "./recorder.js";
export { signedHeaders, slackSignature } from "./signing.js";
export {
  DEFAULT_LABEL,
  type EnvelopeAck,
  type EnvelopeRoute,
  type EnvelopeType,
  SocketModeServer,
} from "./socket-mode.js";
export {
  DEFAULT_SEED,
  type EmulatedEphemeral,
  type EmulatedFile,
  type EmulatedMessage,
  type EmulatedStream,
  type EmulatedTask,
  type EmulatedView,
  Workspace,
  type WorkspaceSeed,
} from "./state.js";
export { chunkProblems } from "./streams.js";
