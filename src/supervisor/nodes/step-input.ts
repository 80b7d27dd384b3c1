import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { AgentDependency } from "../agents/types.js";
import { relevantHistory } from "../context.js";
import type { SupervisorStateType, SupervisorUpdate, TurnInput } from "../state.js";
import type { PlanStep, StepResult } from "../types.js";

/**
 * What one `execute_step` task carries through its `Send`: the step and a reference to its turn.
 * LangGraph stores every task's payload with the checkpoint (as the scheduler's pending write and again
 * in the next checkpoint's task channel), so the turn itself (attachments up to 5 MiB each), the
 * history and earlier results stay in the graph state, stored once, and the task reads them there.
 */
export interface StepTask {
  step: PlanStep;
  /** The turn's run id: the turn the task reads from the state must be this one. */
  run_id: string;
}

/** Everything a step runs with: the task, completed from the graph state. */
export interface StepInput {
  step: PlanStep;
  turn: TurnInput;
  dependencies: AgentDependency[];
  history: { request: string; answer: string }[];
}

type StepState = Pick<SupervisorStateType, "turn" | "turns" | "step_results">;
const STEP_STATE_CHANNELS: (keyof StepState)[] = ["turn", "turns", "step_results"];

/** A task dispatched before tasks carried a reference: the whole turn, history and dependencies. */
type LegacyStepTask = Omit<StepTask, "run_id"> & { turn: Pick<TurnInput, "run_id"> };

/**
 * A task completed from the state it was dispatched from (pure; `withStepState` does the reading). A
 * legacy task (a run paused on an approval across the upgrade) is completed the same way.
 */
export function stepInputOf(task: StepTask | LegacyStepTask, state: StepState): StepInput {
  const { step } = task;
  const runId = "run_id" in task ? task.run_id : task.turn.run_id;
  const turn = state.turn;
  if (!turn || turn.run_id !== runId)
    throw new Error(`step ${step.id} of run ${runId} found run ${turn?.run_id ?? "none"} in the state`);
  return {
    step,
    turn,
    history: relevantHistory(state.turns, turn.request),
    dependencies: step.depends_on.map((dep) => {
      const done = state.step_results[dep] as StepResult;
      return {
        step_id: dep,
        agent: done.agent,
        task: done.task,
        result: done.result,
        ...(done.sources?.length ? { sources: done.sources } : {}),
      };
    }),
  };
}

/**
 * LangGraph hands a `Send` target only the payload. Each task's config carries the function LangGraph's
 * own channel reads and conditional edges use to read the state as of the task's superstep; reading
 * through it sees exactly what the scheduler saw, in a first run and in a resumed one alike.
 */
const READ_KEY = "__pregel_read";
type ChannelReader = (channels: string[], fresh?: boolean) => unknown;

function readStepState(config: LangGraphRunnableConfig | undefined): StepState {
  const read = config?.configurable?.[READ_KEY] as ChannelReader | undefined;
  if (typeof read !== "function")
    throw new Error("execute_step needs LangGraph's task state reader; is this LangGraph version supported?");
  return read(STEP_STATE_CHANNELS) as StepState;
}

/** The `execute_step` node as the graph runs it: from a `StepTask` to the step's full input. */
export function withStepState(
  run: (input: StepInput, config?: LangGraphRunnableConfig) => Promise<SupervisorUpdate>,
) {
  return (task: StepTask | LegacyStepTask, config?: LangGraphRunnableConfig): Promise<SupervisorUpdate> =>
    run(stepInputOf(task, readStepState(config)), config);
}
