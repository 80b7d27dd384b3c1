import type { LlmClient, LlmUsage } from "../../llm/types.js";
import type { Locale } from "../../vocabulary/index.js";

/**
 * An agent: one module under `agents/` plus one entry in `agents/index.ts`. The planner learns about it
 * from `description`; the executor calls `run` with the step and everything the agent may use.
 */
export type ApprovalPolicy = "always" | "never" | "planner";

export interface AgentStep {
  id: number;
  task: string;
  description: string;
}

export interface AgentDependency {
  step_id: number;
  agent: string;
  task: string;
  result: string;
}

export interface AgentContext {
  llm: LlmClient;
  locale: Locale;
  /** Aborted when the run is abandoned or the step times out. */
  signal: AbortSignal;
  /** The user's request for this turn, verbatim. */
  request: string;
  /** Results of the steps this one depends on. */
  dependencies: AgentDependency[];
  /** Recent turns of the conversation, oldest first. */
  history: { request: string; answer: string }[];
  /** Text of files the user attached. */
  attachments: { name: string; text: string }[];
  /** Tools (web fetch, knowledge base, sandbox, SQL on files) arrive with the tools issue, by name. */
  tools: Readonly<Record<string, unknown>>;
  onUsage: (usage: LlmUsage) => void;
}

export interface AgentOutput {
  result: string;
  /** The agent's own estimate, 0..1. */
  confidence: number;
  sources?: { title: string; url?: string }[];
}

export interface AgentDefinition {
  name: string;
  /** One line each for the planner's prompt. */
  description: Record<Locale, string>;
  /** `always`: every step waits for a human; `planner`: only when the planner flags it; `never`: never. */
  approval: ApprovalPolicy;
  run(step: AgentStep, ctx: AgentContext): Promise<AgentOutput>;
}
