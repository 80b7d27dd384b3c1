import { randomUUID } from "node:crypto";
import type { Config } from "../config.js";
import { t } from "../i18n/index.js";
import type { LlmClient } from "../llm/types.js";
import type { Logger } from "../log.js";
import type { ApprovalRecord, RetryRequest, SessionRecord, Store } from "../store/index.js";
import {
  type AgentDefinition,
  AgentRegistry,
  type ApprovalAsked,
  DEFAULT_AGENTS,
  type RunHooks,
  SupervisorRunner,
  type TurnInput,
} from "../supervisor/index.js";
import type { ApprovalDecision } from "../supervisor/types.js";
import {
  detectLocale,
  errorMessage,
  isOctoError,
  type Locale,
  OctoError,
  type OutputFormat,
} from "../vocabulary/index.js";
import { approvalCardOf } from "./approval-card.js";
import { EventChannel } from "./channel.js";
import { checkDecision, notPending } from "./decision.js";
import type { RunEvent } from "./events.js";
import { checkpointNotFound, rewindPoint, summarizeCheckpoints, summarizeTurns } from "./history.js";
import { errorEvent, progressEvents, RunEventFactory } from "./run-events.js";
import { ThreadQueue } from "./thread-queue.js";
import type {
  ConversationApi,
  DecideInput,
  EventStream,
  Platform,
  ResumedRun,
  RetryInput,
  RewindOutcome,
  RewindTarget,
  SendInput,
  ThreadHistory,
} from "./types.js";
import { validateDecision, validateSend } from "./validation.js";
import { type ApprovalView, approvalViewOf, type ConversationSession, sessionViewOf } from "./views.js";

export interface ConversationSettings {
  defaultFormat: OutputFormat;
  maxInputChars: number;
  maxSteps: number;
  stepAttempts: number;
  stepTimeoutMs: number;
  /** Delay before a failed step's first retry; doubled for each later one. */
  retryInitialMs: number;
  /** People who may decide any approval, besides its requester. */
  approvers: readonly string[];
  /** Agents whose steps always need approval (undefined: each agent's own policy). */
  approvalAgents: readonly string[] | undefined;
  approvalTtlSeconds: number;
}

export function settingsFromConfig(config: Config): ConversationSettings {
  return {
    defaultFormat: config.OCTO_DEFAULT_FORMAT,
    maxInputChars: config.OCTO_MAX_INPUT_CHARS,
    maxSteps: config.OCTO_MAX_STEPS,
    stepAttempts: config.OCTO_STEP_ATTEMPTS,
    stepTimeoutMs: config.OCTO_STEP_TIMEOUT_MS,
    retryInitialMs: 1_000,
    approvers: config.OCTO_APPROVERS,
    approvalAgents: config.OCTO_APPROVAL_AGENTS,
    approvalTtlSeconds: config.OCTO_APPROVAL_TTL,
  };
}

export interface ConversationServiceOptions {
  store: Store;
  llm: LlmClient;
  logger: Logger;
  settings: ConversationSettings;
  agents?: readonly AgentDefinition[];
}

/** How long a failed request can be retried from its error message. */
const RETRY_TTL_SECONDS = 24 * 60 * 60;

interface RunContext {
  threadKey: string;
  runId: string;
  locale: Locale;
  requester: string;
  events: RunEventFactory;
  channel: EventChannel<RunEvent>;
  signal: AbortSignal;
}

/**
 * The one service every adapter uses. Each thread's work (turns, decisions, rewinds, forgets) runs in
 * order through a per-thread queue; every run streams its events to the caller; everything durable lives
 * in the store, so a new instance on the same database carries on where the last one stopped.
 */
export class ConversationService implements ConversationApi {
  private readonly runner: SupervisorRunner;
  private readonly queue = new ThreadQueue();
  private readonly running = new Map<string, AbortController>();
  private closed = false;

  constructor(private readonly options: ConversationServiceOptions) {
    const { settings } = options;
    this.runner = new SupervisorRunner(
      {
        llm: options.llm,
        registry: new AgentRegistry(options.agents ?? DEFAULT_AGENTS, {
          approvalAgents: settings.approvalAgents,
        }),
        logger: options.logger,
        maxSteps: settings.maxSteps,
        stepAttempts: settings.stepAttempts,
        stepTimeoutMs: settings.stepTimeoutMs,
        retryInitialMs: settings.retryInitialMs,
      },
      options.store,
    );
  }

  private get store(): Store {
    return this.options.store;
  }

  private get log(): Logger {
    return this.options.logger;
  }

  send(input: SendInput): EventStream {
    const channel = new EventChannel<RunEvent>();
    const runId = `run_${randomUUID()}`;
    const locale = detectLocale(input.text ?? "");
    const events = new RunEventFactory(input.threadKey, runId, locale);
    const refused = validateSend(input, {
      maxInputChars: this.options.settings.maxInputChars,
      defaultFormat: this.options.settings.defaultFormat,
    });
    if (!refused.ok) {
      this.log.warn(
        { threadKey: input.threadKey, user: input.user, kind: refused.error.code },
        "refused a message",
      );
      channel.push(events.error(refused.error));
      channel.close();
      return channel;
    }
    if (this.queue.busy(input.threadKey)) channel.push(events.status("queued"));
    void this.queue
      .run(input.threadKey, () =>
        this.guarded(input.threadKey, channel, (signal) =>
          this.runTurn(
            { threadKey: input.threadKey, runId, locale, requester: input.user, events, channel, signal },
            input,
            refused.value,
          ),
        ),
      )
      .finally(() => channel.close());
    return channel;
  }

  decide(approvalId: string, input: DecideInput): EventStream {
    const channel = new EventChannel<RunEvent>();
    void (async () => {
      const approval = await this.store.approvals.get(approvalId).catch(() => undefined);
      if (!approval) {
        this.log.warn({ approvalId, by: input.by }, "decision on an unknown approval");
        channel.push(
          errorEvent(new OctoError("approval_unknown", approvalId), {
            threadKey: input.threadKey ?? "",
            locale: "en",
          }),
        );
        return;
      }
      await this.queue.run(approval.threadId, () =>
        this.guarded(approval.threadId, channel, (signal) =>
          this.applyDecision(approvalId, input, channel, signal),
        ),
      );
    })()
      .catch((error: unknown) => this.log.error({ err: error, approvalId }, "decision failed"))
      .finally(() => channel.close());
    return channel;
  }

  history(threadKey: string): Promise<ThreadHistory> {
    return this.queue.run(threadKey, async () => {
      const branch = await this.runner.branch(threadKey);
      const session = await this.store.sessions.get(threadKey);
      return {
        threadKey,
        session: session ? sessionViewOf(session) : undefined,
        turns: summarizeTurns(branch),
        checkpoints: summarizeCheckpoints(branch),
        pendingApprovals: (await this.store.approvals.pending(threadKey)).map((a) => this.viewOf(a)),
      };
    });
  }

  rewind(threadKey: string, target: RewindTarget): Promise<RewindOutcome> {
    return this.queue.run(threadKey, async () => {
      const from = rewindPoint(await this.runner.branch(threadKey), threadKey, target);
      const forked = await this.runner.fork(threadKey, from);
      if (!forked) throw checkpointNotFound(threadKey, target);
      const cancelled = await this.store.approvals.cancelPending(threadKey);
      await this.store.sessions.settle(threadKey, "completed", forked.turns);
      this.log.info(
        { threadKey, target, cancelled: cancelled.length, turns: forked.turns },
        "rewound a conversation",
      );
      return { threadKey, checkpointId: forked.checkpointId, turns: forked.turns };
    });
  }

  async sessions(user: string): Promise<ConversationSession[]> {
    return (await this.store.sessions.listByRequester(user)).map(sessionViewOf);
  }

  forget(threadKey: string): Promise<boolean> {
    this.running.get(threadKey)?.abort(new OctoError("llm_aborted", "conversation forgotten"));
    return this.queue.run(threadKey, async () => {
      const session = await this.store.sessions.get(threadKey);
      const existed = session !== undefined || (await this.runner.head(threadKey)) !== undefined;
      await this.runner.deleteThread(threadKey);
      await this.store.approvals.deleteThread(threadKey);
      await this.store.retries.deleteThread(threadKey);
      await this.store.sessions.delete(threadKey);
      this.log.info({ threadKey, existed }, "forgot a conversation");
      return existed;
    });
  }

  async approval(approvalId: string): Promise<ApprovalView | undefined> {
    const record = await this.store.approvals.get(approvalId);
    return record ? this.viewOf(record) : undefined;
  }

  private viewOf(record: ApprovalRecord): ApprovalView {
    return approvalViewOf(record, this.options.settings.approvers);
  }

  retry(retryId: string, input: RetryInput): EventStream {
    const channel = new EventChannel<RunEvent>();
    void (async () => {
      const record = await this.store.retries.claim(retryId);
      if (!record) {
        this.log.warn({ retryId, by: input.by }, "retry refused: unknown, used or expired");
        channel.push(
          errorEvent(new OctoError("retry_unavailable", retryId), {
            threadKey: input.threadKey ?? "",
            locale: "en",
          }),
        );
        return;
      }
      this.log.info({ retryId, threadKey: record.threadId, by: input.by }, "retrying a failed request");
      const resent = this.send({
        platform: record.platform as SendInput["platform"],
        threadKey: record.threadId,
        user: record.requester,
        text: record.request.text,
        format: record.request.format,
        attachments: record.request.attachments,
      });
      for await (const event of resent) channel.push(event);
    })()
      .catch((error: unknown) => {
        this.log.error({ err: error, retryId }, "retry failed");
        channel.push(errorEvent(error, { threadKey: input.threadKey ?? "", locale: "en" }));
      })
      .finally(() => channel.close());
    return channel;
  }

  async resumeInterrupted(platform: Platform): Promise<ResumedRun[]> {
    const cut = await this.store.sessions.listActive(platform);
    return cut.map((session) => {
      const channel = new EventChannel<RunEvent>();
      void this.queue
        .run(session.threadId, () =>
          this.guarded(session.threadId, channel, (signal) => this.resumeCutRun(session, channel, signal)),
        )
        .finally(() => channel.close());
      return {
        threadKey: session.threadId,
        user: session.requester,
        locale: session.locale,
        events: channel,
      };
    });
  }

  /**
   * Carries a cut-short run on from its last checkpoint: steps that finished before the cut keep their
   * results, the rest run again. If that fails too, the conversation goes back to before the turn.
   */
  private async resumeCutRun(session: SessionRecord, channel: EventChannel<RunEvent>, signal: AbortSignal) {
    const branch = await this.runner.branch(session.threadId);
    const head = branch[0];
    const turn = head?.turn;
    const completed = head?.turns.length ?? 0;
    if (!head || head.complete || !turn) {
      // Nothing left to run (the process stopped between the last step and the status update).
      await this.store.sessions.settle(session.threadId, "completed", completed);
      return;
    }
    if ((await this.store.approvals.pending(session.threadId)).length > 0) {
      await this.store.sessions.settle(session.threadId, "waiting_human", completed);
      return;
    }
    const run: RunContext = {
      threadKey: session.threadId,
      runId: turn.run_id,
      locale: turn.locale,
      requester: turn.requester,
      events: new RunEventFactory(session.threadId, turn.run_id, turn.locale),
      channel,
      signal,
    };
    this.log.info(
      { threadKey: session.threadId, runId: turn.run_id, next: head.next },
      "resuming a run cut short",
    );
    channel.push(run.events.status("resuming"));
    const turnStart = branch.find((checkpoint) => checkpoint.complete);
    const before = {
      checkpointId: turnStart?.checkpointId,
      // A first turn that cannot be finished leaves no conversation behind, as a failed first turn does.
      session: completed > 0 ? { ...session, status: "completed" as const, turns: completed } : undefined,
    };
    await this.driveOrRollBack(run, (hooks) => this.runner.resume(run.threadKey, undefined, hooks), before, {
      platform: session.platform,
      request: { text: turn.request, format: turn.format, attachments: turn.attachments },
    });
  }

  async localeOf(threadKey: string): Promise<Locale> {
    return (await this.store.sessions.get(threadKey))?.locale ?? "en";
  }

  /** Stops runs in flight (their last checkpoint stays in the store) and waits for them to settle. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const controller of this.running.values())
      controller.abort(new OctoError("llm_aborted", "shutting down"));
    await this.queue.idle();
  }

  /** Runs one unit of thread work with an abort handle and turns any escape into an error event. */
  private async guarded(
    threadKey: string,
    channel: EventChannel<RunEvent>,
    work: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    this.running.set(threadKey, controller);
    try {
      if (this.closed) throw new OctoError("llm_aborted", "the service is shutting down");
      await work(controller.signal);
    } catch (error) {
      this.log.error({ err: error, threadKey }, "thread work failed");
      const locale = await this.localeOf(threadKey).catch((): Locale => "en");
      channel.push(errorEvent(error, { threadKey, locale }));
    } finally {
      if (this.running.get(threadKey) === controller) this.running.delete(threadKey);
    }
  }

  private async runTurn(
    run: RunContext,
    input: SendInput,
    valid: { text: string; format: OutputFormat },
  ): Promise<void> {
    if (!(await this.settleOverdueApprovals(run))) return;
    const pending = await this.store.approvals.pending(run.threadKey);
    const waiting = pending[0];
    if (waiting) {
      this.log.warn(
        { threadKey: run.threadKey, approvalId: waiting.approvalId },
        "message while an approval is pending",
      );
      run.channel.push(
        run.events.error(
          new OctoError("approval_pending", "pending approval", {
            params: { step: waiting.stepId, agent: waiting.agent },
          }),
        ),
      );
      return;
    }

    const turn: TurnInput = {
      run_id: run.runId,
      request: valid.text,
      format: valid.format,
      locale: run.locale,
      requester: input.user,
      started_at: new Date().toISOString(),
      attachments: (input.attachments ?? [])
        .filter((file) => typeof file.text === "string" && file.text.length > 0)
        .map((file) => ({ name: file.name, text: file.text as string })),
    };
    const before = await this.snapshot(run.threadKey);
    await this.store.sessions.beginTurn({
      threadId: run.threadKey,
      platform: input.platform,
      requester: input.user,
      title: valid.text.replace(/\s+/g, " ").slice(0, 80),
      locale: run.locale,
      format: valid.format,
    });
    this.log.info(
      { threadKey: run.threadKey, runId: run.runId, format: valid.format, locale: run.locale },
      "turn started",
    );
    await this.driveOrRollBack(run, (hooks) => this.runner.startTurn(run.threadKey, turn, hooks), before, {
      platform: input.platform,
      request: {
        text: valid.text,
        format: valid.format,
        attachments: (input.attachments ?? []).map((file) => ({
          name: file.name,
          text: file.text,
          mimeType: file.mimeType,
        })),
      },
    });
  }

  private async applyDecision(
    approvalId: string,
    input: DecideInput,
    channel: EventChannel<RunEvent>,
    signal: AbortSignal,
  ): Promise<void> {
    const approval = await this.store.approvals.get(approvalId);
    if (!approval) throw new OctoError("approval_unknown", approvalId);
    const run: RunContext = {
      threadKey: approval.threadId,
      runId: approval.runId,
      locale: approval.locale,
      requester: approval.requester,
      events: new RunEventFactory(approval.threadId, approval.runId, approval.locale),
      channel,
      signal,
    };
    const refuse = (error: OctoError) => {
      this.log.warn({ approvalId, by: input.by, kind: error.code }, "refused a decision");
      channel.push(run.events.error(error));
    };

    const verdict = checkDecision(this.viewOf(approval), input, new Date());
    if (!verdict.ok) {
      refuse(verdict.error);
      if (verdict.error.code === "approval_expired") await this.settleOverdueApprovals(run);
      return;
    }
    const checked = validateDecision(input, this.options.settings.maxInputChars);
    if (!checked.ok) return refuse(checked.error);

    const status =
      input.decision === "approve" ? "approved" : input.decision === "reject" ? "rejected" : "edited";
    const decided = await this.store.approvals.decide(approvalId, status, input.by, checked.editedTask);
    if (!decided) {
      const now = await this.store.approvals.get(approvalId);
      return refuse(now ? notPending(now) : new OctoError("approval_unknown", approvalId));
    }
    channel.push(
      run.events.approvalDecided({
        approval_id: approvalId,
        step: approval.stepId,
        agent: approval.agent,
        task: approval.task,
        decision: input.decision,
        by: input.by,
        ...(checked.editedTask ? { edited_task: checked.editedTask } : {}),
      }),
    );
    this.log.info(
      { threadKey: run.threadKey, approvalId, decision: input.decision, by: input.by },
      "approval decided",
    );
    const payload: ApprovalDecision =
      input.decision === "edit"
        ? { decision: "edit", by: input.by, edited_task: checked.editedTask as string }
        : { decision: input.decision, by: input.by };
    channel.push(run.events.status("resuming"));
    // Taken before the status changes, so a resume that fails puts the session back to waiting.
    const before = await this.snapshot(run.threadKey);
    await this.store.sessions.setStatus(run.threadKey, "active");
    const resumed = await this.driveOrRollBack(
      run,
      (hooks) => this.runner.resume(run.threadKey, { [approval.interruptId]: payload }, hooks),
      before,
    );
    // A decision whose run failed did not take effect: let the person decide again. (One cut short by a
    // shutdown stands: the resumed run applies it.)
    if (!resumed && !this.closed) {
      const reopened = await this.store.approvals.reopen(approvalId);
      if (reopened) channel.push(run.events.approvalReopened(approvalCardOf(reopened)));
    }
  }

  /**
   * Approvals nobody decided in time count as rejected: the paused run resumes without those steps, so
   * the thread can move on. Returns false when the resume failed (its error was already reported).
   */
  private async settleOverdueApprovals(run: RunContext): Promise<boolean> {
    const overdue = (await this.store.approvals.pending(run.threadKey)).filter(
      (approval) => approval.expiresAt.getTime() <= Date.now(),
    );
    if (overdue.length === 0) return true;
    const resume: Record<string, ApprovalDecision> = {};
    for (const approval of overdue) {
      if (!(await this.store.approvals.decide(approval.approvalId, "expired", "system"))) continue;
      resume[approval.interruptId] = {
        decision: "reject",
        by: "system",
        reason: t(approval.locale, "approval.expired_rejection"),
      };
    }
    if (Object.keys(resume).length === 0) return true;
    this.log.info(
      { threadKey: run.threadKey, expired: overdue.length },
      "expired approvals count as rejected",
    );
    const first = overdue[0] as ApprovalRecord;
    const resumed: RunContext = {
      ...run,
      runId: first.runId,
      requester: first.requester,
      events: new RunEventFactory(run.threadKey, first.runId, first.locale),
    };
    const before = await this.snapshot(run.threadKey);
    return this.driveOrRollBack(resumed, (hooks) => this.runner.resume(run.threadKey, resume, hooks), before);
  }

  private async snapshot(
    threadKey: string,
  ): Promise<{ checkpointId: string | undefined; session: SessionRecord | undefined }> {
    return {
      checkpointId: (await this.runner.head(threadKey))?.checkpointId,
      session: await this.store.sessions.get(threadKey),
    };
  }

  /**
   * Streams the graph; if anything fails the thread goes back to `before` and the person is told.
   * Returns whether the run went through. A run stopped because the service is shutting down is left
   * as it is instead (its session stays active), to be resumed by `resumeInterrupted` after the restart.
   */
  private async driveOrRollBack(
    run: RunContext,
    start: (hooks: RunHooks) => ReturnType<SupervisorRunner["startTurn"]>,
    before: { checkpointId: string | undefined; session: SessionRecord | undefined },
    retry?: { platform: string; request: RetryRequest },
  ): Promise<boolean> {
    try {
      await this.drive(run, start);
      return true;
    } catch (error) {
      // An aborted stream ends before LangGraph's last background writes land; let them, first.
      await this.runner.settle(run.threadKey);
      const aborted = run.signal.aborted;
      if (aborted && this.closed) {
        this.log.info(
          { threadKey: run.threadKey, runId: run.runId },
          "run suspended by shutdown; resumes at restart",
        );
        await this.store.sessions.setStatus(run.threadKey, "active").catch(() => {});
        run.channel.push(run.events.error(new OctoError("restarting", "shutdown")));
        return false;
      }
      const cause = aborted ? (run.signal.reason ?? error) : error;
      this.log.error(
        { err: error, threadKey: run.threadKey, runId: run.runId, aborted },
        "run failed; rolling back",
      );
      await this.rollBack(run.threadKey, before).catch((rollbackError: unknown) => {
        this.log.error({ err: rollbackError, threadKey: run.threadKey }, "rollback failed");
        return this.store.sessions.settle(run.threadKey, "failed", before.session?.turns ?? 0);
      });
      const runError = asRunError(cause);
      const retryId =
        isRetryable(runError) && retry && !aborted ? await this.offerRetry(run, retry) : undefined;
      run.channel.push(run.events.error(runError, retryId));
      return false;
    }
  }

  /** Keeps a failed request so a retry button can send it again; undefined if it could not be kept. */
  private async offerRetry(run: RunContext, retry: { platform: string; request: RetryRequest }) {
    const retryId = `rt_${randomUUID().replaceAll("-", "")}`;
    try {
      await this.store.retries.create(
        {
          retryId,
          threadId: run.threadKey,
          platform: retry.platform,
          requester: run.requester,
          request: retry.request,
        },
        RETRY_TTL_SECONDS,
      );
      return retryId;
    } catch (error) {
      this.log.error({ err: error, threadKey: run.threadKey }, "could not keep the request for a retry");
      return undefined;
    }
  }

  private async rollBack(
    threadKey: string,
    before: { checkpointId: string | undefined; session: SessionRecord | undefined },
  ): Promise<void> {
    await this.runner.truncate(threadKey, before.checkpointId);
    await this.store.sessions.restore(threadKey, before.session);
  }

  private async drive(
    run: RunContext,
    start: (hooks: RunHooks) => ReturnType<SupervisorRunner["startTurn"]>,
  ): Promise<void> {
    const outcome = await start({
      signal: run.signal,
      onProgress: (progress) => {
        for (const event of progressEvents(progress, run.events)) run.channel.push(event);
      },
      onApproval: (asked) => this.registerApproval(run, asked),
    });
    if (outcome.status === "paused") {
      const pending = await this.store.approvals.pending(run.threadKey);
      if (pending.length === 0)
        throw new OctoError("run_failed", `run stopped before ${outcome.waitingOn.join(", ")}`);
      await this.store.sessions.settle(run.threadKey, "waiting_human", outcome.turns);
      run.channel.push(run.events.status("waiting_approval"));
      return;
    }
    const { result } = outcome;
    await this.store.sessions.settle(run.threadKey, "completed", outcome.turns);
    this.log.info(
      {
        threadKey: run.threadKey,
        runId: run.runId,
        steps: result.aggregated_data.execution_summary,
        usage: result.usage,
      },
      "turn completed",
    );
    run.channel.push(run.events.status("done"));
    run.channel.push({
      type: "result",
      threadKey: run.threadKey,
      runId: outcome.runId ?? run.runId,
      locale: result.locale,
      at: new Date().toISOString(),
      result,
    });
  }

  /**
   * Stores and announces a step's approval request. Returns the decision already taken when the request
   * was decided before (see `drive`), undefined otherwise.
   */
  private async registerApproval(
    run: RunContext,
    { interruptId, request }: ApprovalAsked,
  ): Promise<ApprovalDecision | undefined> {
    const { record, created } = await this.store.approvals.create({
      approvalId: request.approval_id,
      threadId: run.threadKey,
      runId: run.runId,
      interruptId,
      stepId: request.step,
      agent: request.agent,
      task: request.task,
      reason: request.reason,
      requester: run.requester,
      locale: run.locale,
      ttlSeconds: this.options.settings.approvalTtlSeconds,
    });
    if (!created) return decisionOf(record);
    this.log.info(
      { threadKey: run.threadKey, approvalId: record.approvalId, step: record.stepId },
      "approval requested",
    );
    run.channel.push(run.events.approvalRequested(approvalCardOf(record)));
    return undefined;
  }
}

/** The decision a decided approval stands for, as the graph takes it; undefined while pending. */
function decisionOf(approval: ApprovalRecord): ApprovalDecision | undefined {
  const by = approval.decidedBy ?? "system";
  switch (approval.status) {
    case "approved":
      return { decision: "approve", by };
    case "edited":
      return approval.editedTask
        ? { decision: "edit", by, edited_task: approval.editedTask }
        : { decision: "approve", by };
    case "rejected":
      return { decision: "reject", by };
    case "expired":
    case "cancelled":
      return { decision: "reject", by: "system", reason: t(approval.locale, "approval.expired_rejection") };
    default:
      return undefined;
  }
}

/** Whether a retry button could help: the error's own say, or an unexpected error that may be transient. */
function isRetryable(error: unknown): boolean {
  return isOctoError(error) ? error.retryable : true;
}

/** Anything that is not already one of our coded errors reaches a person as a generic failed run. */
function asRunError(error: unknown): unknown {
  if (error instanceof OctoError || (error as { name?: string })?.name === "OctoError") return error;
  if ((error as { name?: string })?.name === "AbortError")
    return new OctoError("llm_aborted", errorMessage(error));
  return new OctoError("run_failed", errorMessage(error), { cause: error });
}
