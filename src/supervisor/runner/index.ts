export { SupervisorRunner, type ThreadHead, type ThreadMark, type TurnPage } from "./runner.js";
export { type StreamedInterrupt, StreamTranslator } from "./stream.js";
export type * from "./types.js";
export { RUN_PHASES } from "./types.js";
