import type { Logger } from "../log.js";
import type { MetricsRecorder } from "../metrics/index.js";
import type { ApprovalRecord, JobQueue, Store } from "../store/index.js";
import type { RunHooks, RunOutcome, SupervisorRunner } from "../supervisor/index.js";
import type { Locale } from "../vocabulary/index.js";
import type { EventSink } from "./channel.js";
import type { RunEvent } from "./events.js";
import type { RunRoutes } from "./routes.js";
import type { RunEventFactory } from "./run-events.js";
import type { RunLog } from "./run-log.js";
import type { ConversationSettings } from "./settings.js";
import type { ThreadQueue } from "./thread-queue.js";
import type { ThreadWork } from "./thread-work.js";
import { type ApprovalView, approvalViewOf } from "./views.js";

/** What every part of the conversation service works with. */
export interface ServiceCore {
  store: Store;
  runner: SupervisorRunner;
  log: Logger;
  settings: ConversationSettings;
  work: ThreadWork;
  queue: JobQueue;
  routes: RunRoutes;
  /** Every run's events, in order, in the store (see run-log.ts). */
  runLog: RunLog;
  /** Threads this instance added jobs for, until `idle` saw them done. */
  submitted: Set<string>;
  /** Orders this instance's additions to each thread's queue. */
  intake: ThreadQueue;
  /** Where runs, approvals and queue waits are counted (NO_METRICS unless the process gave one). */
  metrics: MetricsRecorder;
  /** Aborted when the service closes: what waits for the database stops waiting. */
  closing: AbortSignal;
}

/** One run as it is driven: who it is for, where its events go, and its abort signal. */
export interface RunContext {
  threadKey: string;
  runId: string;
  locale: Locale;
  requester: string;
  /** The platform and output format the run's counts are labelled with. */
  platform: string;
  format: string;
  events: RunEventFactory;
  /** The job's events: to whoever reports them and into the run event log. */
  channel: EventSink<RunEvent>;
  signal: AbortSignal;
}

/** Starts or resumes the graph for one run (a turn, a decision, a run cut short). */
export type StartRun = (hooks: RunHooks) => Promise<RunOutcome>;

export function approvalView(core: ServiceCore, record: ApprovalRecord): ApprovalView {
  return approvalViewOf(record, core.settings.approvers);
}

export async function localeOf(core: Pick<ServiceCore, "store">, threadKey: string): Promise<Locale> {
  return (await core.store.sessions.get(threadKey))?.locale ?? "en";
}
