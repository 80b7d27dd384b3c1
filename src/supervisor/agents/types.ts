import type { LlmClient, LlmUsage } from "../../llm/types.js";
import type { KnowledgeBase } from "../../tools/kb/index.js";
import type { CodeSandbox } from "../../tools/sandbox/index.js";
import type { TableQuerier } from "../../tools/sql/index.js";
import type { WebFetcher } from "../../tools/web/index.js";
import type { Locale } from "../../vocabulary/index.js";
import type { Artifact } from "../types.js";

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
  /** What the step cited (pages, files); the web agent reads the pages a search step found. */
  sources?: { title: string; url?: string; snippet?: string }[];
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
  /** Files the user attached: their text, or for a binary table (Parquet) its bytes as base64 `data`. */
  attachments: { name: string; text: string; data?: string }[];
  /** The model-free tools this process offers; an agent whose tool is absent says it cannot do the step. */
  tools: AgentTools;
  onUsage: (usage: LlmUsage) => void;
}

/**
 * The tools agents may use, each optional (tests and deployments give what they have). One member per
 * tool: the knowledge base, the guarded web fetcher, the JavaScript sandbox, SQL on attached tables, charts.
 */
export interface AgentTools {
  /** The knowledge base in the project's database (src/tools/kb): ingested documents and their search. */
  kb?: KnowledgeBase;
  /** Runs JavaScript with no files, network or process, under time, memory and output caps. */
  sandbox?: CodeSandbox;
  /** Loads attached tables into a locked-down DuckDB, profiles them and runs read-only queries. */
  sql?: TableQuerier;
  /** The guarded web fetcher (src/tools/web): absent where the deployment gives no web access. */
  fetch?: WebFetcher;
}

export interface AgentOutput {
  result: string;
  /** The agent's own estimate, 0..1. */
  confidence: number;
  /** Why the model's first answer was unusable (see answers/degenerate.ts), when it was. */
  degenerate?: string;
  /** The result is not the model's answer but what the step had (tool output, files) or a note. */
  fallback?: boolean;
  /** Pages (title, URL) or document passages (title, snippet) the result rests on. */
  sources?: { title: string; url?: string; snippet?: string }[];
  /** Documents, tables and charts the step made (see ArtifactSchema); renderers turn them into files. */
  artifacts?: Artifact[];
}

/** A worked example for the planner's prompt: a request and the plan it should get. */
export interface PlannerExample {
  request: string;
  /** `agent` defaults to the agent that declares the example; `depends_on` to none. */
  steps: { agent?: string; task: string; depends_on?: number[] }[];
}

/**
 * What the planner needs to route to an agent besides its description: words that point to it (a
 * cheap prior the planner weighs against a small model's choice) and worked examples, per language.
 * A new agent brings its own, so the prompt and the prior grow with the registry.
 */
export interface AgentRouting {
  /** Matched case-insensitively in requests of either language (Korean requests often say "NDA"). */
  keywords: Record<Locale, readonly string[]>;
  /** Weaker words (question words for search): they count only when no agent's keyword matched. */
  hints?: Record<Locale, readonly string[]>;
  examples: Record<Locale, readonly PlannerExample[]>;
}

export interface AgentDefinition {
  name: string;
  /** One line each for the planner's prompt. */
  description: Record<Locale, string>;
  routing?: AgentRouting;
  /** `always`: every step waits for a human; `planner`: only when the planner flags it; `never`: never. */
  approval: ApprovalPolicy;
  run(step: AgentStep, ctx: AgentContext): Promise<AgentOutput>;
}
