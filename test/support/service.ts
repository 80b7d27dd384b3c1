import { ConversationService, type ConversationSettings } from "../../src/conversations/index.js";
import { ScriptedLlm, type ScriptedOptions } from "../../src/llm/scripted.js";
import type { LlmClient } from "../../src/llm/types.js";
import { silentLogger } from "../../src/log.js";
import type { MetricsRecorder } from "../../src/metrics/index.js";
import { type JobQueue, openJobQueue } from "../../src/store/index.js";
import { InProcessJobQueue } from "../../src/store/queue/in-process.js";
import { DEFAULT_AGENTS } from "../../src/supervisor/agents/index.js";
import type { AgentDefinition, AgentTools } from "../../src/supervisor/index.js";
import { KnowledgeBase } from "../../src/tools/kb/index.js";
import { postgresUrl, type TestStore } from "./databases.js";
import { withSearchStandIn } from "./prompt-agents.js";

export const TEST_SETTINGS: ConversationSettings = {
  defaultFormat: "chat",
  maxInputChars: 12_000,
  maxSteps: 8,
  stepAttempts: 3,
  stepTimeoutMs: 30_000,
  retryInitialMs: 5,
  approvers: ["boss"],
  approvalAgents: ["contract", "code"],
  approvalTtlSeconds: 3_600,
  turnTimeoutMs: 600_000,
  concurrency: 8,
};

export interface TestServiceOptions {
  llm?: LlmClient;
  scripted?: ScriptedOptions;
  settings?: Partial<ConversationSettings>;
  agents?: readonly AgentDefinition[];
  tools?: AgentTools;
  queue?: JobQueue;
  /** False for an intake-only service (OCTO_ROLE=intake). */
  takesJobs?: boolean;
  /** How often a run's follower polls for events another process wrote (tests: 50 ms). */
  followPollMs?: number;
  /** Counts runs, steps, approvals and queue waits (a test's own OctoMetrics). */
  metrics?: MetricsRecorder;
}

/** The durable in-process queue on the test store (one process, on PGlite or Postgres alike). */
export function testQueue(store: TestStore, concurrency = 8): JobQueue {
  return new InProcessJobQueue({ db: store.db, concurrency, logger: silentLogger() });
}

/**
 * The queue of one replica among several on the test store: graphile-worker on the Postgres server
 * (what replicas use); undefined on PGlite, which one process alone may open.
 */
export async function replicaQueue(store: TestStore, name: string): Promise<JobQueue | undefined> {
  const url = store.kind === "postgres" ? await postgresUrl() : undefined;
  if (!url) return undefined;
  return openJobQueue({
    db: store.db,
    postgresUrl: url,
    schema: store.db.schema,
    concurrency: 8,
    logger: silentLogger(),
    workerId: name,
    sweepIntervalMs: 300,
  });
}

/** The knowledge base on a test store, for `tools: { kb }` (empty until a test ingests into it). */
export function testKnowledgeBase(store: TestStore): KnowledgeBase {
  return new KnowledgeBase(store.knowledge, { logger: silentLogger() });
}

/**
 * The agents a test service runs (the test's, else the registry's), except that without a knowledge
 * base in `tools` the registry's search agent is its prompt stand-in. The real one answers only from
 * what it retrieves, so with nothing to search every plumbing test routed to search (the scripted
 * planner's default) would get "nothing found" and never reach the model its handlers script.
 */
function agentsFor(
  agents: readonly AgentDefinition[] | undefined,
  tools: AgentTools | undefined,
): readonly AgentDefinition[] {
  return tools?.kb ? (agents ?? DEFAULT_AGENTS) : withSearchStandIn(agents);
}

/** A conversation service on a test store with the deterministic scripted model. */
export function createTestService(store: TestStore, options: TestServiceOptions = {}) {
  const llm = options.llm ?? new ScriptedLlm(options.scripted);
  const service = new ConversationService({
    store,
    llm,
    logger: silentLogger(),
    settings: { ...TEST_SETTINGS, ...options.settings },
    queue: options.queue ?? testQueue(store),
    agents: agentsFor(options.agents, options.tools),
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.takesJobs === undefined ? {} : { takesJobs: options.takesJobs }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    followPollMs: options.followPollMs ?? 50,
  });
  return { service, llm };
}
