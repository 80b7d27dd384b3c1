import { AgentRegistry, DEFAULT_AGENTS, SupervisorRunner } from "../supervisor/index.js";
import type { Locale } from "../vocabulary/index.js";
import { decideApproval } from "./approvals.js";
import { localeOf, type ServiceCore } from "./core.js";
import { resumeInterrupted } from "./recovery.js";
import { retryRequest } from "./retries.js";
import type { ConversationServiceOptions } from "./settings.js";
import { ThreadWork } from "./thread-work.js";
import {
  approvalOf,
  forgetThread,
  pendingApprovalsOf,
  rewindThread,
  sessionsOf,
  threadHistory,
} from "./threads.js";
import { sendTurn } from "./turns.js";
import type {
  ApprovalView,
  ConversationApi,
  ConversationSession,
  DecideInput,
  EventStream,
  HistoryPage,
  Platform,
  ResumedRun,
  RetryInput,
  RewindOutcome,
  RewindTarget,
  SendInput,
  ThreadHistory,
} from "./types.js";

/**
 * The one service every adapter uses. Each thread's work (turns, decisions, rewinds, forgets) runs in
 * order through a per-thread queue; every run streams its events to the caller; everything durable lives
 * in the store, so a new instance on the same database carries on where the last one stopped. A facade:
 * each job lives in its own module (turns, approvals, retries, recovery, threads).
 */
export class ConversationService implements ConversationApi {
  private readonly core: ServiceCore;

  constructor(options: ConversationServiceOptions) {
    const { settings, store, logger } = options;
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
      },
      store,
    );
    const work = new ThreadWork(logger, (threadKey) => localeOf({ store }, threadKey));
    this.core = { store, runner, log: logger, settings, work };
  }

  send(input: SendInput): EventStream {
    return sendTurn(this.core, input);
  }

  decide(approvalId: string, input: DecideInput): EventStream {
    return decideApproval(this.core, approvalId, input);
  }

  retry(retryId: string, input: RetryInput): EventStream {
    return retryRequest(this.core, retryId, input, (resend) => this.send(resend));
  }

  resumeInterrupted(platform: Platform): Promise<ResumedRun[]> {
    return resumeInterrupted(this.core, platform);
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

  sessions(user: string): Promise<ConversationSession[]> {
    return sessionsOf(this.core, user);
  }

  approval(approvalId: string): Promise<ApprovalView | undefined> {
    return approvalOf(this.core, approvalId);
  }

  localeOf(threadKey: string): Promise<Locale> {
    return localeOf(this.core, threadKey);
  }

  /** Stops runs in flight (their last checkpoint stays in the store) and waits for them to settle. */
  close(): Promise<void> {
    return this.core.work.close();
  }
}
