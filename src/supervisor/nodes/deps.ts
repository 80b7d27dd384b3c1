import type { LlmClient } from "../../llm/types.js";
import type { Logger } from "../../log.js";
import type { MetricsRecorder } from "../../metrics/index.js";
import type { AgentTools } from "../agents/types.js";
import type { AgentRegistry } from "../registry.js";

/** What the graph's nodes are built with; the graph itself never knows where it runs. */
export interface SupervisorDeps {
  llm: LlmClient;
  registry: AgentRegistry;
  logger: Logger;
  maxSteps: number;
  /** Attempts per step, including the first (node retry policy). */
  stepAttempts: number;
  stepTimeoutMs: number;
  /** First retry delay; doubled each attempt. Tests shorten it. */
  retryInitialMs: number;
  /** The model-free tools agents may use (see AgentContext.tools). */
  tools?: AgentTools;
  /** Counts each step's duration by agent and outcome. */
  metrics?: MetricsRecorder;
}
