import type { Config } from "../config.js";
import type { LlmClient } from "../llm/types.js";
import type { Logger } from "../log.js";
import type { MetricsRecorder } from "../metrics/index.js";
import type { JobQueue, Store } from "../store/index.js";
import type { AgentDefinition, AgentTools } from "../supervisor/index.js";
import type { OutputFormat } from "../vocabulary/index.js";

export interface ConversationSettings {
  defaultFormat: OutputFormat;
  maxInputChars: number;
  maxSteps: number;
  stepAttempts: number;
  stepTimeoutMs: number;
  /** A turn's whole run, its steps together, gets no longer than this. */
  turnTimeoutMs: number;
  /** Runs of different threads this process carries at once; the rest wait in the queue. */
  concurrency: number;
  /** Delay before a failed step's first retry; doubled for each later one. */
  retryInitialMs: number;
  /** People who may decide any approval, besides its requester. */
  approvers: readonly string[];
  /** Agents whose steps always need approval (undefined: each agent's own policy). */
  approvalAgents: readonly string[] | undefined;
  approvalTtlSeconds: number;
  /** Conversations idle this many days are deleted by the scheduled prune; 0 or absent: kept forever. */
  retentionDays?: number;
}

export function settingsFromConfig(config: Config): ConversationSettings {
  return {
    defaultFormat: config.OCTO_DEFAULT_FORMAT,
    maxInputChars: config.OCTO_MAX_INPUT_CHARS,
    maxSteps: config.OCTO_MAX_STEPS,
    stepAttempts: config.OCTO_STEP_ATTEMPTS,
    stepTimeoutMs: config.OCTO_STEP_TIMEOUT_MS,
    turnTimeoutMs: config.OCTO_TURN_TIMEOUT_MS,
    concurrency: config.OCTO_CONCURRENCY,
    retryInitialMs: 1_000,
    approvers: config.OCTO_APPROVERS,
    approvalAgents: config.OCTO_APPROVAL_AGENTS,
    approvalTtlSeconds: config.OCTO_APPROVAL_TTL,
    retentionDays: config.OCTO_RETENTION_DAYS,
  };
}

export interface ConversationServiceOptions {
  store: Store;
  llm: LlmClient;
  logger: Logger;
  settings: ConversationSettings;
  agents?: readonly AgentDefinition[];
  /** The model-free tools the agents may use (sandbox, SQL ...); an agent without its tool says so. */
  tools?: AgentTools;
  /** The per-thread job queue (graphile-worker on Postgres, in-process on PGlite): see openJobQueue. */
  queue: JobQueue;
  /** False for an intake-only process (OCTO_ROLE=intake): it keeps requests as jobs and never runs one. */
  takesJobs?: boolean;
  /** How often a run's follower looks for events another process wrote (default 250 ms). */
  followPollMs?: number;
  /** Counts runs, steps, approvals and queue waits (see src/metrics); nothing by default. */
  metrics?: MetricsRecorder;
}
