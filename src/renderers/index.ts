/**
 * Renderers: pure functions from run results and run events to platform payloads and files. Adapters
 * call `slack.*`, `discord.*` or `console.*` and send exactly what comes back.
 */
export * as console from "./console/index.js";
export * as discord from "./discord/index.js";
export * as files from "./files/index.js";
export {
  applyRunEvent,
  initialProgress,
  type ProgressApproval,
  type ProgressState,
  type ProgressStep,
  progressCounts,
  runElapsedMs,
  stepElapsedMs,
} from "./progress.js";
export { progressStatusText, progressTitle } from "./progress-view.js";
export * as slack from "./slack/index.js";
export { confidenceText, stateLabel } from "./summary.js";
export { formatBytes, formatSeconds } from "./text.js";
export type {
  ApprovalDecided,
  Rendered,
  RenderedFile,
  RenderResultOptions,
  StreamTask,
  StreamUpdate,
} from "./types.js";
export { type ResultView, STATE_COLOUR, STEP_STATES, type StepState, type StepView, viewOf } from "./view.js";
