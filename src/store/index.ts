import type { Logger } from "../log.js";
import { ApprovalStore } from "./approvals.js";
import { BranchSafePostgresSaver } from "./checkpointer.js";
import type { Database } from "./database.js";
import { DeliveryStore } from "./deliveries.js";
import { FeedbackStore } from "./feedback.js";
import { KnowledgeStore } from "./knowledge.js";
import { migrate } from "./migrations.js";
import { openPglite } from "./pglite.js";
import { openPostgres } from "./postgres.js";
import { ProcessedEventStore } from "./processed-events.js";
import { RetentionStore } from "./retention.js";
import { RetryStore } from "./retries.js";
import { RunEventStore } from "./run-events.js";
import { SessionStore } from "./sessions.js";
import { TurnIndexStore } from "./turn-index.js";

export type { ApprovalRecord, ApprovalStatus } from "./approvals.js";
export type { Database, Queryable } from "./database.js";
export type { FeedbackCount, FeedbackInput, FeedbackTally } from "./feedback.js";
export type { KbChunk, KbDocument, KbMatch, KbSearchOptions } from "./knowledge.js";
export {
  type JobHandler,
  type JobQueue,
  type JobQueueOptions,
  type NewJob,
  openJobQueue,
  type QueuedJob,
  type ScheduledTask,
} from "./queue/index.js";
export { isConnectionLost } from "./reconnect.js";
export type { RetryRecord, RetryRequest } from "./retries.js";
export {
  type NewRunEvent,
  RUN_STATES,
  type RunEventRecord,
  type RunKey,
  type RunRecord,
  type RunState,
} from "./run-events.js";
export type { SessionRecord, SessionStatus } from "./sessions.js";
export type { IndexedTurn } from "./turn-index.js";
export {
  ApprovalStore,
  DeliveryStore,
  FeedbackStore,
  KnowledgeStore,
  ProcessedEventStore,
  RetentionStore,
  RetryStore,
  RunEventStore,
  SessionStore,
  TurnIndexStore,
};

export interface Store {
  db: Database;
  checkpointer: BranchSafePostgresSaver;
  sessions: SessionStore;
  approvals: ApprovalStore;
  processedEvents: ProcessedEventStore;
  retries: RetryStore;
  deliveries: DeliveryStore;
  /** People's ratings of answers; `countsByRating` is what a metrics endpoint reads. */
  feedback: FeedbackStore;
  /** Every run's events in order, on every platform (the HTTP API's streams, the run viewer). */
  runEvents: RunEventStore;
  /** Turn-end checkpoints of each thread's current branch; kept by the supervisor's runner. */
  turnIndex: TurnIndexStore;
  /** Which conversations have been idle past the retention period, and rows that lapse on their own. */
  retention: RetentionStore;
  /** The knowledge base's chunks and their trigram search (the search agent's, through src/tools/kb). */
  knowledge: KnowledgeStore;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Postgres server; when absent, embedded PGlite. */
  postgresUrl?: string | undefined;
  /** PGlite directory; undefined with no postgresUrl means in memory (tests). */
  dataDir?: string | undefined;
  schema?: string | undefined;
  poolMax?: number | undefined;
  /** Where a Postgres pool's lost connections are reported (they are never fatal, never silent). */
  logger?: Logger | undefined;
}

/** Opens the database, applies migrations (ours and the checkpointer's) and wires the repositories. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const schema = options.schema ?? "public";
  const db = options.postgresUrl
    ? await openPostgres({
        connectionString: options.postgresUrl,
        schema,
        max: options.poolMax ?? 10,
        logger: options.logger,
      })
    : await openPglite({ dataDir: options.dataDir, schema });
  try {
    // PostgresSaver only needs query/connect/release/end, which both databases provide.
    await migrate(db, (connection) =>
      new BranchSafePostgresSaver(connection as never, undefined, { schema }).setup(),
    );
    const checkpointer = new BranchSafePostgresSaver(db.pool as never, undefined, { schema });
    return {
      db,
      checkpointer,
      sessions: new SessionStore(db),
      approvals: new ApprovalStore(db),
      processedEvents: new ProcessedEventStore(db),
      retries: new RetryStore(db),
      deliveries: new DeliveryStore(db),
      feedback: new FeedbackStore(db),
      turnIndex: new TurnIndexStore(db),
      runEvents: new RunEventStore(db),
      retention: new RetentionStore(db),
      knowledge: new KnowledgeStore(db),
      close: () => db.close(),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
