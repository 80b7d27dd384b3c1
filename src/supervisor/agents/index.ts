import { codeAgent } from "./code.js";
import { contractAgent } from "./contract.js";
import { dataAgent } from "./data.js";
import { searchAgent } from "./search.js";
import type { AgentDefinition } from "./types.js";
import { webAgent } from "./web.js";

export type { AgentContext, AgentDefinition, AgentOutput, AgentStep, ApprovalPolicy } from "./types.js";

/** The agent registry: adding an agent is one module plus one entry here. */
export const DEFAULT_AGENTS: readonly AgentDefinition[] = [
  searchAgent,
  webAgent,
  contractAgent,
  codeAgent,
  dataAgent,
];
