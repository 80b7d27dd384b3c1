import type { ApprovalCard, RunEvent, RunStatus } from "../conversations/events.js";
import type { ErrorCode, Locale } from "../vocabulary/index.js";
import type { StepState } from "./view.js";

/**
 * The live progress card's state, folded from run events by a pure reducer so every adapter shows the
 * same thing and a card can be rebuilt from the event log after a restart.
 */

export interface ProgressStep {
  id: number;
  agent: string;
  task: string;
  /** The planner's words for the step (its task when the plan said nothing more). */
  description: string;
  dependsOn: number[];
  round: number;
  status: StepState;
  attempt: number;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  /** Measured duration once the step finished. */
  ms: number | undefined;
  summary: string | undefined;
  confidence: number | undefined;
  error: string | undefined;
  /** What the step cited, once it finished. */
  sources: ProgressSource[];
}

export interface ProgressSource {
  title: string;
  url?: string | undefined;
}

export interface ProgressApproval {
  approvalId: string;
  step: number;
  agent: string;
  task: string;
  reason: string;
  requester: string;
  expiresAt: string;
  requestedAt: string;
  decision:
    | { decision: "approve" | "reject" | "edit"; by: string; at: string; editedTask?: string }
    | undefined;
}

export interface ProgressState {
  threadKey: string | undefined;
  runId: string | undefined;
  locale: Locale;
  status: RunStatus;
  statusMessage: string;
  /** Time of the first and the latest event: the clock elapsed times are measured against. */
  startedAt: string | undefined;
  updatedAt: string | undefined;
  steps: ProgressStep[];
  approvals: ProgressApproval[];
  replanned: boolean;
  finished: boolean;
  error: { kind: ErrorCode; message: string; retryable: boolean } | undefined;
}

export function initialProgress(locale: Locale = "en"): ProgressState {
  return {
    threadKey: undefined,
    runId: undefined,
    locale,
    status: "queued",
    statusMessage: "",
    startedAt: undefined,
    updatedAt: undefined,
    steps: [],
    approvals: [],
    replanned: false,
    finished: false,
    error: undefined,
  };
}

function updateStep(
  state: ProgressState,
  id: number,
  change: (step: ProgressStep) => ProgressStep,
): ProgressStep[] {
  return state.steps.map((step) => (step.id === id ? change(step) : step));
}

function ensureStep(steps: ProgressStep[], id: number, agent: string, task: string): ProgressStep[] {
  if (steps.some((step) => step.id === id)) return steps;
  // An event about a step the card never saw planned (e.g. a card rebuilt mid-run): show it anyway.
  const added: ProgressStep = {
    id,
    agent,
    task,
    description: task,
    dependsOn: [],
    round: 0,
    status: "pending",
    attempt: 0,
    startedAt: undefined,
    finishedAt: undefined,
    ms: undefined,
    summary: undefined,
    confidence: undefined,
    error: undefined,
    sources: [],
  };
  return [...steps, added].sort((a, b) => a.id - b.id);
}

function withApproval(state: ProgressState, card: ApprovalCard, at: string): ProgressApproval[] {
  const entry: ProgressApproval = {
    approvalId: card.approval_id,
    step: card.step,
    agent: card.agent,
    task: card.task,
    reason: card.reason,
    requester: card.requester,
    expiresAt: card.expires_at,
    requestedAt: at,
    decision: undefined,
  };
  const others = state.approvals.filter((approval) => approval.approvalId !== card.approval_id);
  return [...others, entry];
}

/** Folds one run event into the progress state. Never mutates `state`; unknown steps are added. */
export function applyRunEvent(state: ProgressState, event: RunEvent): ProgressState {
  const base: ProgressState = {
    ...state,
    threadKey: event.threadKey,
    runId: event.runId,
    locale: event.locale,
    startedAt: state.startedAt ?? event.at,
    updatedAt: event.at,
  };
  switch (event.type) {
    case "status":
      return {
        ...base,
        status: event.status,
        statusMessage: event.message,
        finished: event.status === "done" || state.finished,
      };
    case "plan": {
      const known = new Map(state.steps.map((step) => [step.id, step]));
      const planned = event.steps.map((step): ProgressStep => {
        const previous = known.get(step.id);
        known.delete(step.id);
        return {
          id: step.id,
          agent: step.agent,
          task: step.task,
          description: step.description.trim() || step.task,
          dependsOn: [...step.depends_on],
          round: step.round,
          status: previous?.status ?? "pending",
          attempt: previous?.attempt ?? 0,
          startedAt: previous?.startedAt,
          finishedAt: previous?.finishedAt,
          ms: previous?.ms,
          summary: previous?.summary,
          confidence: previous?.confidence,
          error: previous?.error,
          sources: previous?.sources ?? [],
        };
      });
      // A replan adds steps; the ones already run stay on the card.
      const kept = event.replan ? [...known.values()] : [];
      return {
        ...base,
        steps: [...kept, ...planned].sort((a, b) => a.id - b.id),
        replanned: state.replanned || event.replan,
      };
    }
    case "step_started": {
      const steps = ensureStep(state.steps, event.step_id, event.agent, event.task);
      return {
        ...base,
        steps: updateStep({ ...state, steps }, event.step_id, (step) => ({
          ...step,
          task: event.task,
          status: "running",
          attempt: event.attempt,
          startedAt: step.startedAt ?? event.at,
          finishedAt: undefined,
          error: undefined,
        })),
      };
    }
    case "step_finished": {
      const steps = ensureStep(state.steps, event.step_id, event.agent, "");
      return {
        ...base,
        steps: updateStep({ ...state, steps }, event.step_id, (step) => ({
          ...step,
          status: event.status,
          finishedAt: event.at,
          ms: event.ms,
          summary: event.summary,
          confidence: event.confidence,
          error: event.error,
          sources: event.sources ?? [],
        })),
      };
    }
    case "approval_requested": {
      const card = event.approval;
      const steps = ensureStep(state.steps, card.step, card.agent, card.task);
      return {
        ...base,
        status: "waiting_approval",
        steps: updateStep({ ...state, steps }, card.step, (step) => ({ ...step, status: "waiting" })),
        approvals: withApproval(state, card, event.at),
      };
    }
    case "approval_reopened": {
      // The decision did not take effect: the step waits for one again; the run's error stays shown.
      const card = event.approval;
      const steps = ensureStep(state.steps, card.step, card.agent, card.task);
      const requested = state.approvals.find((approval) => approval.approvalId === card.approval_id);
      return {
        ...base,
        steps: updateStep({ ...state, steps }, card.step, (step) => ({ ...step, status: "waiting" })),
        approvals: withApproval(state, card, requested?.requestedAt ?? event.at),
      };
    }
    case "approval_decided": {
      const steps = ensureStep(state.steps, event.step, event.agent, event.task);
      const decision = {
        decision: event.decision,
        by: event.by,
        at: event.at,
        ...(event.edited_task === undefined ? {} : { editedTask: event.edited_task }),
      };
      const known = state.approvals.some((approval) => approval.approvalId === event.approval_id);
      const approvals = known
        ? state.approvals.map((approval) =>
            approval.approvalId === event.approval_id ? { ...approval, decision } : approval,
          )
        : [
            ...state.approvals,
            {
              approvalId: event.approval_id,
              step: event.step,
              agent: event.agent,
              task: event.task,
              reason: "",
              requester: "",
              expiresAt: event.at,
              requestedAt: event.at,
              decision,
            },
          ];
      return {
        ...base,
        steps: updateStep({ ...state, steps }, event.step, (step) => ({
          ...step,
          task: event.edited_task ?? step.task,
          // A rejected step never runs; an approved or edited one goes back to the queue.
          status: event.decision === "reject" ? "skipped" : "pending",
        })),
        approvals,
      };
    }
    case "result": {
      const outcomes = new Map(event.result.step_results.map((step) => [step.step_id, step]));
      return {
        ...base,
        status: "done",
        finished: true,
        steps: state.steps.map((step) => {
          const final = outcomes.get(step.id);
          if (!final)
            return step.status === "running" || step.status === "waiting"
              ? { ...step, status: "skipped" }
              : step;
          return {
            ...step,
            status: final.status,
            ms: final.duration_ms,
            finishedAt: final.finished_at ?? step.finishedAt,
            startedAt: step.startedAt ?? final.started_at,
          };
        }),
      };
    }
    case "error":
      return {
        ...base,
        finished: true,
        error: { kind: event.kind, message: event.message, retryable: event.retryable },
      };
  }
}

/** Milliseconds a step has run: its measured time once finished, else up to `now`. */
export function stepElapsedMs(step: ProgressStep, now: string | undefined): number | undefined {
  if (step.ms !== undefined) return step.ms;
  if (step.startedAt === undefined || now === undefined) return undefined;
  const elapsed = Date.parse(now) - Date.parse(step.startedAt);
  return Number.isFinite(elapsed) ? Math.max(0, elapsed) : undefined;
}

/** Milliseconds since the first event, measured against `now` (default: the latest event's time). */
export function runElapsedMs(state: ProgressState, now?: string): number | undefined {
  const end = now ?? state.updatedAt;
  if (state.startedAt === undefined || end === undefined) return undefined;
  const elapsed = Date.parse(end) - Date.parse(state.startedAt);
  return Number.isFinite(elapsed) ? Math.max(0, elapsed) : undefined;
}

export function progressCounts(
  state: ProgressState,
): Record<StepState, number> & { total: number; done: number } {
  const counts = { pending: 0, running: 0, waiting: 0, completed: 0, failed: 0, skipped: 0 };
  for (const step of state.steps) counts[step.status] += 1;
  return { ...counts, total: state.steps.length, done: counts.completed + counts.failed + counts.skipped };
}
