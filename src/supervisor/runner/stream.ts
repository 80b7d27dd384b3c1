import { GENERATOR_NODES } from "../nodes/generate.js";
import { isGraphProgress } from "../progress.js";
import type { PlanStep, StepResult } from "../types.js";
import type { RunPhase, RunProgress } from "./types.js";

/** An interrupt as LangGraph streams it. */
export interface StreamedInterrupt {
  id: string;
  value: unknown;
}

const NODE_PHASE: Record<string, RunPhase> = {
  intent_understanding: "understanding",
  aggregator: "aggregating",
  ...Object.fromEntries(Object.values(GENERATOR_NODES).map((node) => [node, "generating" as const])),
};

/**
 * Translates the graph's stream (`updates` + `custom` modes) into run progress and interrupts. Stateful
 * only to avoid repeats: one `generating` phase for parallel generators, and no replay of results
 * LangGraph re-emits from its cache when a run resumes.
 */
export class StreamTranslator {
  private readonly announced = new Set<RunPhase>();

  translate(chunk: unknown): { progress: RunProgress[]; interrupts: StreamedInterrupt[] } {
    const progress: RunProgress[] = [];
    const interrupts: StreamedInterrupt[] = [];
    const out = { progress, interrupts };
    if (!Array.isArray(chunk) || chunk.length !== 2) return out;
    const [mode, payload] = chunk as [string, unknown];

    if (mode === "custom" && isGraphProgress(payload)) {
      if (payload.kind === "step_started") {
        const { step_id, agent, task, attempt } = payload;
        progress.push({ kind: "step_started", step_id, agent, task, attempt });
      } else if (payload.node === "planning") {
        progress.push({ kind: "phase", phase: payload.replan ? "replanning" : "planning" });
      } else {
        const phase = NODE_PHASE[payload.node];
        if (phase && !(phase === "generating" && this.announced.has(phase))) {
          this.announced.add(phase);
          progress.push({ kind: "phase", phase });
        }
      }
      return out;
    }

    if (mode !== "updates" || typeof payload !== "object" || payload === null) return out;
    const updates = payload as Record<string, unknown>;
    if ((updates.__metadata__ as { cached?: boolean } | undefined)?.cached) return out;

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
        progress.push({ kind: "plan", steps: values.plan, replan });
      }
      if ((node === "execute_step" || node === "schedule") && values.step_results) {
        for (const result of Object.values(values.step_results))
          progress.push({ kind: "step_finished", result });
      }
    }
    return out;
  }
}
