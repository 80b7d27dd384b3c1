import { t } from "../i18n/index.js";
import { isGraphProgress } from "../supervisor/progress.js";
import type { PlanStep, StepResult } from "../supervisor/types.js";
import type { Locale } from "../vocabulary/index.js";
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
    };
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
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= SUMMARY_CHARS ? flat : `${flat.slice(0, SUMMARY_CHARS - 1)}…`;
}

/** An interrupt as LangGraph streams it. */
export interface StreamedInterrupt {
  id: string;
  value: unknown;
}

const NODE_STATUS: Record<string, RunStatus> = {
  intent_understanding: "understanding",
  aggregator: "aggregating",
  chat_generator: "generating",
  graph_generator: "generating",
  report_generator: "generating",
  json_generator: "generating",
};

/**
 * Translates the graph's stream (`updates` + `custom` modes) into run events. Stateful only to avoid
 * repeats: one `generating` status for parallel generators, and no replay of results LangGraph re-emits
 * from its cache when a run resumes.
 */
export class StreamTranslator {
  private readonly announced = new Set<RunStatus>();

  constructor(private readonly events: RunEventFactory) {}

  translate(chunk: unknown): { events: RunEvent[]; interrupts: StreamedInterrupt[] } {
    const out: RunEvent[] = [];
    const interrupts: StreamedInterrupt[] = [];
    if (!Array.isArray(chunk) || chunk.length !== 2) return { events: out, interrupts };
    const [mode, payload] = chunk as [string, unknown];

    if (mode === "custom" && isGraphProgress(payload)) {
      if (payload.kind === "step_started") {
        out.push(this.events.stepStarted(payload));
      } else if (payload.node === "planning") {
        out.push(this.events.status(payload.replan ? "replanning" : "planning"));
      } else {
        const status = NODE_STATUS[payload.node];
        if (status && !(status === "generating" && this.announced.has(status))) {
          this.announced.add(status);
          out.push(this.events.status(status));
        }
      }
      return { events: out, interrupts };
    }

    if (mode !== "updates" || typeof payload !== "object" || payload === null)
      return { events: out, interrupts };
    const updates = payload as Record<string, unknown>;
    if ((updates.__metadata__ as { cached?: boolean } | undefined)?.cached)
      return { events: out, interrupts };

    for (const [node, update] of Object.entries(updates)) {
      if (node === "__interrupt__" && Array.isArray(update)) {
        for (const item of update as { id?: string; value?: unknown }[]) {
          if (typeof item.id === "string") interrupts.push({ id: item.id, value: item.value });
        }
        continue;
      }
      const values = (update ?? {}) as {
        plan?: PlanStep[];
        step_results?: Record<string, StepResult> | null;
      };
      if (node === "planning" && values.plan) {
        const replan = values.plan.some((step) => step.round > 0);
        out.push(this.events.plan(values.plan, replan), this.events.status("executing"));
      }
      if ((node === "execute_step" || node === "schedule") && values.step_results) {
        for (const result of Object.values(values.step_results)) out.push(this.events.stepFinished(result));
      }
    }
    return { events: out, interrupts };
  }
}
