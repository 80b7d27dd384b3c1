import type { TurnInput, TurnRecord } from "../state.js";
import type { ApprovalDecision, ApprovalRequest, PlanStep, RunResult, StepResult } from "../types.js";

/**
 * What the runner tells its caller while a run moves, in the supervisor's own words: no LangGraph
 * stream modes, node names or interrupt shapes.
 */
export const RUN_PHASES = ["understanding", "planning", "replanning", "aggregating", "generating"] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

export type RunProgress =
  | { kind: "phase"; phase: RunPhase }
  | { kind: "plan"; steps: PlanStep[]; replan: boolean }
  | { kind: "step_started"; step_id: number; agent: string; task: string; attempt: number }
  | { kind: "step_finished"; result: StepResult };

/** A step that stopped the run to ask a person; `interruptId` is what its decision answers. */
export interface ApprovalAsked {
  interruptId: string;
  request: ApprovalRequest;
}

/** Decisions by the `interruptId` they answer. */
export type Decisions = Record<string, ApprovalDecision>;

export interface RunHooks {
  signal: AbortSignal;
  onProgress(progress: RunProgress): void;
  /**
   * Called for every approval the run stops on. Return the decision already taken for it (the process
   * stopped between accepting a decision and recording it), or undefined to leave the run paused.
   */
  onApproval(asked: ApprovalAsked): Promise<ApprovalDecision | undefined>;
}

export type RunOutcome =
  | { status: "finished"; result: RunResult; runId: string | undefined; turns: number }
  /** Stopped with work left; `waitingOn` names what would run next, for logs. */
  | { status: "paused"; waitingOn: string[]; turns: number };

/** One checkpoint of a thread, as the conversation layer may look at it. */
export interface BranchCheckpoint {
  checkpointId: string;
  createdAt: string;
  /** Superstep; -1 for a turn's input checkpoint. */
  step: number;
  /** What would run next; empty when the checkpoint ends a turn. */
  next: string[];
  /** True when nothing is left to run here: the end of a turn. */
  complete: boolean;
  /** What wrote this checkpoint, when known (`input` for a turn's input). */
  writer: string | undefined;
  /** The turn under way at this checkpoint (the last one, once it completed). */
  turn: TurnInput | null;
  /** Completed turns of the conversation at this checkpoint. */
  turns: TurnRecord[];
}

/** The head of a thread, for a job that picks a run up: see SupervisorRunner.current. */
export interface RunHead {
  checkpointId: string;
  /** The turn under way, or the last one when `complete`. */
  turn: TurnInput | null;
  /** Completed turns. */
  turns: number;
  complete: boolean;
  plan: PlanStep[];
  stepResults: StepResult[];
  /** The turn's result, when it finished. */
  result: RunResult | undefined;
}
