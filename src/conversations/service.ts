import { setTimeout as sleep } from "node:timers/promises";
import { NO_METRICS } from "../metrics/index.js";
import { AgentRegistry, DEFAULT_AGENTS, SupervisorRunner } from "../supervisor/index.js";
import { type Locale, OctoError } from "../vocabulary/index.js";
import { decideApproval } from "./approvals.js";
import { localeOf, type ServiceCore } from "./core.js";
import { rateRun } from "./feedback.js";
import { takeOverOrphans } from "./recovery.js";
import { type PruneOptions, type PruneReport, pruneIdleConversations, retentionTask } from "./retention.js";
import { retryRequest } from "./retries.js";
import { RunRoutes } from "./routes.js";
import { RunLog } from "./run-log.js";
import { createSession, sessionsOf, updateSession } from "./sessions.js";
import type { ConversationServiceOptions } from "./settings.js";
import { ThreadQueue } from "./thread-queue.js";
import { ThreadWork } from "./thread-work.js";
import {
  approvalOf,
  checkpointsOf,
  forgetThread,
  pendingApprovalsOf,
  rewindThread,
  sessionOf,
  threadHistory,
} from "./threads.js";
import { sendTurn } from "./turns.js";
import type {
  ApprovalView,
  CheckpointPage,
  CheckpointQuery,
  ConversationApi,
  ConversationSession,
  DecideInput,
  Deliverer,
  EventStream,
  FollowOptions,
  HistoryPage,
  LoggedRunEvent,
  NewSession,
  Platform,
  RateInput,
  RatingOutcome,
  RetryInput,
  RewindOutcome,
  RewindTarget,
  RunEventsQuery,
  RunSummary,
  SendInput,
  SessionChanges,
  SubmitOptions,
  ThreadHistory,
} from "./types.js";
import { jobHandler } from "./worker.js";

/**
 * The one service every adapter uses. Each unit of work on a thread (a message, a decision, a retry, a
 * run carried on) is a job of the thread in the durable job queue: one at a time per thread, threads in
 * parallel, on whichever process takes it; its events go to the caller that follows it or to the
 * platform's deliverer. Everything durable lives in the store, so any process on the same database
 * carries on where another stopped. A facade: each job lives in its own module.
 */
export class ConversationService implements ConversationApi {
  private readonly core: ServiceCore;
  private started: Promise<void> | undefined;
  private readonly takesJobs: boolean;
  private readonly closing = new AbortController();

  constructor(options: ConversationServiceOptions) {
    const { settings, store, logger } = options;
    const metrics = options.metrics ?? NO_METRICS;
    const runner = new SupervisorRunner(
      {
        llm: options.llm,
        registry: new AgentRegistry(options.agents ?? DEFAULT_AGENTS, {
          approvalAgents: settings.approvalAgents,
        }),
        logger,
        maxSteps: settings.maxSteps,
        stepAttempts: settings.stepAttempts,
        stepTimeoutMs: settings.stepTimeoutMs,
        retryInitialMs: settings.retryInitialMs,
        metrics,
        ...(options.tools ? { tools: options.tools } : {}),
      },
      store,
    );
    const work = new ThreadWork(logger, (threadKey) => localeOf({ store }, threadKey));
    this.takesJobs = options.takesJobs ?? true;
    const routes = new RunRoutes(logger);
    this.core = {
      store,
      runner,
      log: logger,
      settings,
      work,
      queue: options.queue,
      routes,
      runLog: new RunLog(store, logger, options.followPollMs),
      submitted: new Set(),
      intake: new ThreadQueue(),
      metrics,
      closing: this.closing.signal,
    };
  }

  /**
   * Starts taking jobs (after the platforms attached their deliverers, so nothing taken goes unreported)
   * and takes over runs a version before the queue left cut short. Idempotent; the first request
   * starts it too.
   */
  start(): Promise<void> {
    if (!this.takesJobs) return Promise.resolve();
    this.started ??= (async () => {
      const days = this.core.settings.retentionDays ?? 0;
      if (days > 0) this.core.queue.schedule(retentionTask(this.core, days));
      await this.core.queue.start(jobHandler(this.core));
      await takeOverOrphans(this.core).catch((error: unknown) =>
        this.core.log.error({ err: error }, "could not look for runs cut short"),
      );
    })();
    return this.started;
  }

  deliverTo(platform: Platform, deliverer: Deliverer): () => void {
    return this.core.routes.deliverTo(platform, deliverer);
  }

  async idle(threadKey?: string): Promise<void> {
    for (const key of threadKey ? [threadKey] : [...this.core.submitted]) {
      while ((await this.core.queue.depth(key)) > 0) await sleep(20);
      this.core.submitted.delete(key);
    }
    await this.core.work.idle();
  }

  send(input: SendInput, options?: SubmitOptions): EventStream {
    void this.start();
    return sendTurn(this.core, input, options);
  }

  decide(approvalId: string, input: DecideInput, options?: SubmitOptions): EventStream {
    void this.start();
    return decideApproval(this.core, approvalId, input, options);
  }

  retry(retryId: string, input: RetryInput, options?: SubmitOptions): EventStream {
    void this.start();
    return retryRequest(this.core, retryId, input, (resend, claim, claimed) =>
      sendTurn(this.core, resend, {
        ...options,
        with: claim,
        retryId: claimed,
        refusal: new OctoError("retry_unavailable", retryId),
      }),
    );
  }

  history(threadKey: string, page?: HistoryPage): Promise<ThreadHistory> {
    return threadHistory(this.core, threadKey, page);
  }

  pendingApprovals(threadKey: string): Promise<ApprovalView[]> {
    return pendingApprovalsOf(this.core, threadKey);
  }

  rewind(threadKey: string, target: RewindTarget): Promise<RewindOutcome> {
    return rewindThread(this.core, threadKey, target);
  }

  forget(threadKey: string): Promise<boolean> {
    return forgetThread(this.core, threadKey);
  }

  /** Deletes conversations idle longer than the retention period now (the schedule's own work). */
  prune(options: PruneOptions): Promise<PruneReport> {
    return pruneIdleConversations(this.core, options);
  }

  sessions(
    user: string,
    options?: { platform?: Platform | undefined; limit?: number | undefined },
  ): Promise<ConversationSession[]> {
    return sessionsOf(this.core, user, options);
  }

  createSession(input: NewSession): Promise<ConversationSession> {
    return createSession(this.core, input);
  }

  updateSession(threadKey: string, changes: SessionChanges): Promise<ConversationSession | undefined> {
    return updateSession(this.core, threadKey, changes);
  }

  checkpoints(threadKey: string, query?: CheckpointQuery): Promise<CheckpointPage> {
    return checkpointsOf(this.core, threadKey, query);
  }

  session(threadKey: string): Promise<ConversationSession | undefined> {
    return sessionOf(this.core, threadKey);
  }

  approval(approvalId: string): Promise<ApprovalView | undefined> {
    return approvalOf(this.core, approvalId);
  }

  rateRun(runId: string, input: RateInput): Promise<RatingOutcome> {
    return rateRun(this.core, runId, input);
  }

  runEvents(runId: string, query?: RunEventsQuery): Promise<LoggedRunEvent[]> {
    return this.core.runLog.events(runId, query);
  }

  followRun(runId: string, options?: FollowOptions): AsyncIterable<LoggedRunEvent> {
    return this.core.runLog.follow(runId, options);
  }

  run(runId: string): Promise<RunSummary | undefined> {
    return this.core.runLog.run(runId);
  }

  runs(threadKey: string, options: { limit?: number | undefined } = {}): Promise<RunSummary[]> {
    return this.core.runLog.runs(threadKey, options.limit);
  }

  localeOf(threadKey: string): Promise<Locale> {
    return localeOf(this.core, threadKey);
  }

  /**
   * Stops taking jobs and suspends the runs in flight (each tells its thread it will continue and goes
   * back to the queue, its last checkpoint in the store), waiting up to `graceMs` for them.
   */
  async close(graceMs = 8_000): Promise<void> {
    this.closing.abort();
    this.core.work.close();
    await this.core.queue.stop(graceMs);
    await this.core.work.idle();
    this.core.routes.releaseFollowers();
  }
}
