import { t } from "../i18n/index.js";
import type { RunProgress } from "../supervisor/index.js";
import type { PlanStep, RunResult, StepResult } from "../supervisor/types.js";
import { clip, type Locale, oneLine } from "../vocabulary/index.js";
import { describeError } from "./errors.js";
import type { ApprovalCard, RunEvent, RunEventOf, RunStatus } from "./events.js";

/** Builds the events of one run with their common fields filled in. */
export class RunEventFactory {
  constructor(
    readonly threadKey: string,
    readonly runId: string,
    readonly locale: Locale,
  ) {}

  private base() {
    return {
      threadKey: this.threadKey,
      runId: this.runId,
      locale: this.locale,
      at: new Date().toISOString(),
    };
  }

  status(status: RunStatus): RunEventOf<"status"> {
    return { ...this.base(), type: "status", status, message: t(this.locale, `status.${status}`) };
  }

  /** The request is held while the database is unreachable: it waits, and the person is told why. */
  storeRetrying(): RunEventOf<"status"> {
    return {
      ...this.base(),
      type: "status",
      status: "queued",
      message: t(this.locale, "status.store_retrying"),
    };
  }

  plan(steps: PlanStep[], replan: boolean): RunEventOf<"plan"> {
    return { ...this.base(), type: "plan", steps, replan };
  }

  stepStarted(step: {
    step_id: number;
    agent: string;
    task: string;
    attempt: number;
  }): RunEventOf<"step_started"> {
    return { ...this.base(), type: "step_started", ...step };
  }

  stepFinished(result: StepResult): RunEventOf<"step_finished"> {
    return {
      ...this.base(),
      type: "step_finished",
      step_id: result.step_id,
      agent: result.agent,
      status: result.status,
      summary: summarize(result.result),
      confidence: result.confidence,
      ms: result.duration_ms,
      ...(result.error ? { error: result.error } : {}),
      ...(result.sources && result.sources.length > 0 ? { sources: result.sources } : {}),
    };
  }

  /** The answer; `locale` is the result's own (the language it was written in). */
  result(result: RunResult): RunEventOf<"result"> {
    return { ...this.base(), locale: result.locale, type: "result", result };
  }

  approvalRequested(approval: ApprovalCard): RunEventOf<"approval_requested"> {
    return { ...this.base(), type: "approval_requested", approval };
  }

  approvalDecided(
    decided: Omit<RunEventOf<"approval_decided">, "type" | keyof ReturnType<RunEventFactory["base"]>>,
  ) {
    return { ...this.base(), type: "approval_decided", ...decided } satisfies RunEventOf<"approval_decided">;
  }

  approvalReopened(approval: ApprovalCard): RunEventOf<"approval_reopened"> {
    return { ...this.base(), type: "approval_reopened", approval };
  }

  /** The error event for anything thrown, in this run's language; `retryId` when a retry was kept. */
  error(error: unknown, retryId?: string): RunEventOf<"error"> {
    return errorEvent(error, this, retryId);
  }
}

/**
 * The one way to turn an error into an error event: the polite message from `describeError`, whether a
 * retry can help from the error's own flag, and the thread and run it belongs to.
 */
export function errorEvent(
  error: unknown,
  where: { threadKey: string; runId?: string | undefined; locale: Locale },
  retryId?: string,
): RunEventOf<"error"> {
  return {
    threadKey: where.threadKey,
    runId: where.runId ?? "",
    locale: where.locale,
    at: new Date().toISOString(),
    type: "error",
    ...describeError(error, where.locale),
    ...(retryId ? { retry_id: retryId } : {}),
  };
}

const SUMMARY_CHARS = 280;

function summarize(text: string): string {
  return clip(oneLine(text), SUMMARY_CHARS);
}

/**
 * The run events for one piece of the runner's progress. A new plan also says execution begins; the
 * runner's phases are run statuses by the same names.
 */
export function progressEvents(progress: RunProgress, events: RunEventFactory): RunEvent[] {
  switch (progress.kind) {
    case "phase":
      return [events.status(progress.phase satisfies RunStatus)];
    case "plan":
      return [events.plan(progress.steps, progress.replan), events.status("executing")];
    case "step_started": {
      const { step_id, agent, task, attempt } = progress;
      return [events.stepStarted({ step_id, agent, task, attempt })];
    }
    case "step_finished":
      return [events.stepFinished(progress.result)];
  }
}
