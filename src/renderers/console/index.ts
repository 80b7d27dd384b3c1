import { type PlatformRenderer, rendererOf } from "../types.js";
import { renderApprovalCard } from "./approval.js";
import { renderError } from "./error.js";
import { renderHelp } from "./help.js";
import { renderNotice } from "./notice.js";
import { renderProgress } from "./progress.js";
import { type ConsoleMessage, renderResult } from "./result.js";

export type { ApprovalDecided } from "../types.js";
export { renderApprovalCard } from "./approval.js";
export { renderError } from "./error.js";
export { renderHelp } from "./help.js";
export { renderNotice } from "./notice.js";
export { renderEventLine, renderProgress } from "./progress.js";
export { type ConsoleMessage, renderResult } from "./result.js";
export { terminalSafe } from "./text.js";

/** The console's renderer: terminal text, already plain. */
export const renderer: PlatformRenderer<ConsoleMessage> = rendererOf(
  { renderApprovalCard, renderError, renderHelp, renderNotice, renderProgress, renderResult },
  () => undefined,
);
