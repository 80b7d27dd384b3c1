import type { RunResult, StepOutcome } from "../supervisor/types.js";

/**
 * The one reading of a RunResult that every platform renders, so Slack, Discord, the console and the
 * files never disagree about counts, order or which steps exist.
 */

/** Live and final states a step can be shown in. */
export const STEP_STATES = ["pending", "running", "waiting", "completed", "failed", "skipped"] as const;
export type StepState = (typeof STEP_STATES)[number];

export interface StepView {
  id: number;
  agent: string;
  task: string;
  description: string;
  status: StepOutcome;
  /** False for a planned step that has no result at all (the run ended before it). */
  ran: boolean;
  result: string;
  confidence: number;
  error: string | undefined;
  dependsOn: number[];
  startedAt: string | undefined;
  finishedAt: string | undefined;
  durationMs: number;
  attempts: number;
  approval:
    | { decision: "approve" | "reject" | "edit"; by: string; editedTask?: string | undefined }
    | undefined;
  round: number;
}

export interface Insight {
  category: string;
  description: string;
  importance: number;
}

export type Outcome = "success" | "partial" | "failure";

export interface ResultView {
  request: string;
  answer: string;
  steps: StepView[];
  counts: { total: number; completed: number; failed: number; skipped: number };
  seconds: number;
  approvals: number;
  /** The three most important insights, most important first. */
  topInsights: Insight[];
  recommendations: Insight[];
  outcome: Outcome;
}

/** Steps from `step_results`, completed by the seed's `aggregated_data.steps` and the plan, in id order. */
function collectSteps(result: RunResult): StepView[] {
  const byId = new Map<number, StepView>();
  for (const step of result.step_results) {
    byId.set(step.step_id, {
      id: step.step_id,
      agent: step.agent,
      task: step.approval?.edited_task ?? step.task,
      description: step.description,
      status: step.status,
      ran: true,
      result: step.result,
      confidence: step.confidence,
      error: step.error,
      dependsOn: [...step.depends_on],
      startedAt: step.started_at,
      finishedAt: step.finished_at,
      durationMs: step.duration_ms,
      attempts: step.attempts,
      approval: step.approval && {
        decision: step.approval.decision,
        by: step.approval.by,
        editedTask: step.approval.edited_task,
      },
      round: step.round,
    });
  }
  for (const step of result.aggregated_data.steps) {
    if (byId.has(step.step_id)) continue;
    const planned = result.plan.find((p) => p.id === step.step_id);
    byId.set(step.step_id, {
      id: step.step_id,
      agent: step.agent,
      task: planned?.task ?? step.description,
      description: step.description,
      status: step.status,
      ran: true,
      result: step.result,
      confidence: step.confidence,
      error: undefined,
      dependsOn: planned ? [...planned.depends_on] : [],
      startedAt: undefined,
      finishedAt: undefined,
      durationMs: 0,
      attempts: 0,
      approval: undefined,
      round: planned?.round ?? 0,
    });
  }
  for (const step of result.plan) {
    if (byId.has(step.id)) continue;
    byId.set(step.id, {
      id: step.id,
      agent: step.agent,
      task: step.task,
      description: step.description,
      status: "skipped",
      ran: false,
      result: "",
      confidence: 0,
      error: undefined,
      dependsOn: [...step.depends_on],
      startedAt: undefined,
      finishedAt: undefined,
      durationMs: 0,
      attempts: 0,
      approval: undefined,
      round: step.round,
    });
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function outcomeOf(completed: number, failed: number, total: number): Outcome {
  if (total === 0 || completed === total) return failed === 0 ? "success" : "partial";
  return completed === 0 ? "failure" : "partial";
}

export function viewOf(result: RunResult): ResultView {
  const summary = result.aggregated_data.execution_summary;
  const insights = [...result.aggregated_data.insights].sort((a, b) => b.importance - a.importance);
  const { total_steps: total, completed_steps: completed, failed_steps: failed } = summary;
  return {
    request: result.request,
    answer: result.aggregated_data.final_answer,
    steps: collectSteps(result),
    counts: { total, completed, failed, skipped: Math.max(0, total - completed - failed) },
    seconds: summary.execution_time,
    approvals: summary.hitl_interactions,
    topInsights: insights.slice(0, 3),
    recommendations: insights.filter((insight) => insight.category === "recommendation"),
    outcome: outcomeOf(completed, failed, total),
  };
}

/** Emoji for chat platforms (Slack and Discord both show Unicode emoji natively). */
export const STATE_EMOJI: Record<StepState, string> = {
  pending: "⏳",
  running: "🔄",
  waiting: "✋",
  completed: "✅",
  failed: "❌",
  skipped: "⏭️",
};

/** Colours shared by the graph picture, the PDF and Discord embeds, so a status looks the same everywhere. */
export const STATE_COLOUR: Record<StepState, string> = {
  pending: "#c9ced6",
  running: "#3b82f6",
  waiting: "#f59e0b",
  completed: "#22a06b",
  failed: "#dc3545",
  skipped: "#8c96a3",
};

export const OUTCOME_COLOUR: Record<Outcome, string> = {
  success: STATE_COLOUR.completed,
  partial: STATE_COLOUR.waiting,
  failure: STATE_COLOUR.failed,
};
