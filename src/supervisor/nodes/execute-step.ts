import { createHash } from "node:crypto";
import { interrupt, isGraphBubbleUp, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { t } from "../../i18n/index.js";
import { errorMessage, isOctoError } from "../../vocabulary/index.js";
import { reportProgress } from "../progress.js";
import type { SupervisorUpdate } from "../state.js";
import {
  type ApprovalDecision,
  ApprovalDecisionSchema,
  type ApprovalRequest,
  type StepResult,
} from "../types.js";
import { usageMeter } from "../usage.js";
import type { SupervisorDeps } from "./deps.js";
import type { StepInput } from "./step-input.js";

/** Stable for a given run and step, so a re-executed node (resume, retry) asks for the same approval. */
export function approvalIdFor(runId: string, stepId: number): string {
  return `apr_${createHash("sha256").update(`${runId}:${stepId}`).digest("hex").slice(0, 24)}`;
}

/**
 * Runs one plan step (the graph feeds it through `withStepState`): waits for a human first when the step needs approval (LangGraph `interrupt`),
 * then calls the agent under a timeout. Failures are thrown back to the node retry policy while attempts
 * remain and recorded as a failed step after the last one, so one bad step never fails the run.
 */
export function executeStepNode(deps: SupervisorDeps) {
  return async (input: StepInput, config?: LangGraphRunnableConfig): Promise<SupervisorUpdate> => {
    const { step, turn } = input;
    const agent = deps.registry.resolve(step.agent);
    let task = step.task;
    let approval: StepResult["approval"];

    if (step.needs_approval) {
      const request: ApprovalRequest = {
        approval_id: approvalIdFor(turn.run_id, step.id),
        step: step.id,
        agent: agent.name,
        task: step.task,
        reason: step.approval_reason ?? t(turn.locale, "approval.reason.planner"),
      };
      const decision: ApprovalDecision = ApprovalDecisionSchema.parse(interrupt(request));
      approval = {
        approval_id: request.approval_id,
        decision: decision.decision,
        by: decision.by,
        ...(decision.decision === "edit" ? { edited_task: decision.edited_task } : {}),
      };
      if (decision.decision === "reject") {
        const note = decision.reason ?? t(turn.locale, "approval.rejected", { by: decision.by });
        return {
          step_results: {
            [step.id]: {
              ...outcome(input, task, "skipped", note, 0, { approval, attempts: 0 }),
              skip_reason: "rejected",
            },
          },
        };
      }
      if (decision.decision === "edit") task = decision.edited_task;
    }

    const attempt = config?.executionInfo?.nodeAttempt ?? 1;
    reportProgress(config, { kind: "step_started", step_id: step.id, agent: agent.name, task, attempt });
    const meter = usageMeter();
    const startedAt = new Date();
    const timeout = AbortSignal.timeout(deps.stepTimeoutMs);
    const signal = config?.signal ? AbortSignal.any([config.signal, timeout]) : timeout;
    try {
      const output = await agent.run(
        { id: step.id, task, description: step.description },
        {
          llm: deps.llm,
          locale: turn.locale,
          signal,
          request: turn.request,
          dependencies: input.dependencies,
          history: input.history,
          attachments: turn.attachments,
          tools: deps.tools ?? {},
          onUsage: meter.onUsage,
        },
      );
      const finishedAt = new Date();
      recordStep(deps, agent.name, "completed", startedAt, finishedAt);
      return {
        step_results: {
          [step.id]: outcome(input, task, "completed", output.result, output.confidence, {
            approval,
            attempts: attempt,
            startedAt,
            finishedAt,
            usage: meter.totals,
            ...(output.sources ? { sources: output.sources } : {}),
            ...(output.artifacts?.length ? { artifacts: output.artifacts } : {}),
            ...(output.degenerate ? { degenerate: output.degenerate } : {}),
            ...(output.fallback ? { fallback: true } : {}),
          }),
        },
        usage: meter.totals,
      };
    } catch (error) {
      // An abandoned run (shutdown, forget) stops here; the step is not a failure to record.
      if (isGraphBubbleUp(error) || config?.signal?.aborted) throw error;
      // A cancelled call, or a tool that refused or failed the step: another attempt would end the same.
      const aborted = isOctoError(error, "llm_aborted") || isOctoError(error, "tool_failed");
      const detail =
        timeout.aborted && !config?.signal?.aborted
          ? `timed out after ${deps.stepTimeoutMs} ms`
          : errorMessage(error);
      deps.logger.warn({ step: step.id, agent: agent.name, attempt, err: error }, "step attempt failed");
      if (!aborted && attempt < deps.stepAttempts) throw error;
      const finishedAt = new Date();
      recordStep(deps, agent.name, "failed", startedAt, finishedAt);
      return {
        step_results: {
          [step.id]: outcome(
            input,
            task,
            "failed",
            t(turn.locale, "step.failed", { attempts: attempt, error: detail }),
            0,
            {
              approval,
              attempts: attempt,
              startedAt,
              finishedAt,
              usage: meter.totals,
              error: detail,
            },
          ),
        },
        usage: meter.totals,
      };
    }
  };
}

function recordStep(
  deps: SupervisorDeps,
  agent: string,
  status: "completed" | "failed",
  startedAt: Date,
  finishedAt: Date,
): void {
  deps.metrics?.stepFinished({ agent, outcome: status }, (finishedAt.getTime() - startedAt.getTime()) / 1000);
}

function outcome(
  input: StepInput,
  task: string,
  status: StepResult["status"],
  result: string,
  confidence: number,
  extra: {
    approval: StepResult["approval"];
    attempts: number;
    startedAt?: Date;
    finishedAt?: Date;
    usage?: StepResult["usage"];
    error?: string;
    sources?: StepResult["sources"];
    artifacts?: StepResult["artifacts"];
    degenerate?: string;
    fallback?: boolean;
  },
): StepResult {
  const { step } = input;
  return {
    step_id: step.id,
    agent: step.agent,
    task,
    description: step.description,
    depends_on: step.depends_on,
    status,
    result,
    confidence: Math.min(1, Math.max(0, Number.isFinite(confidence) ? confidence : 0)),
    ...(extra.startedAt ? { started_at: extra.startedAt.toISOString() } : {}),
    ...(extra.finishedAt ? { finished_at: extra.finishedAt.toISOString() } : {}),
    duration_ms:
      extra.startedAt && extra.finishedAt ? extra.finishedAt.getTime() - extra.startedAt.getTime() : 0,
    attempts: extra.attempts,
    ...(extra.error ? { error: extra.error } : {}),
    ...(extra.approval ? { approval: extra.approval } : {}),
    ...(extra.sources ? { sources: extra.sources } : {}),
    ...(extra.artifacts ? { artifacts: extra.artifacts } : {}),
    ...(extra.degenerate ? { degenerate: extra.degenerate } : {}),
    ...(extra.fallback ? { fallback: true } : {}),
    ...(extra.usage ? { usage: extra.usage } : {}),
    round: step.round,
  };
}
