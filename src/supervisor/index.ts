export { DEFAULT_AGENTS } from "./agents/index.js";
export type { AgentContext, AgentDefinition, AgentOutput, AgentTools } from "./agents/types.js";
export { buildSupervisorGraph, type SupervisorGraph } from "./graph.js";
export type { SupervisorDeps } from "./nodes/deps.js";
export { type GraphProgress, isGraphProgress } from "./progress.js";
export { AgentRegistry } from "./registry.js";
export * from "./runner/index.js";
export { newTurnInput, type SupervisorStateType, type TurnInput, type TurnRecord } from "./state.js";
