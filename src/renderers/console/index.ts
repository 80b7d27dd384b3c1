export type { ApprovalDecided } from "../types.js";
export { renderApprovalCard } from "./approval.js";
export { renderError } from "./error.js";
export { renderHelp } from "./help.js";
export { renderEventLine, renderProgress } from "./progress.js";
export { type ConsoleMessage, renderResult } from "./result.js";
export { terminalSafe } from "./text.js";
