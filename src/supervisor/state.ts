import { type BaseMessage, HumanMessage } from "@langchain/core/messages";
import { Annotation, messagesStateReducer } from "@langchain/langgraph";
import type { Locale, OutputFormat } from "../vocabulary/index.js";
import type { AggregatedData, FinalResult, LlmUsageTotals, PlanStep, StepResult } from "./types.js";

/** What the conversation service passes in to start a turn. */
export interface TurnInput {
  run_id: string;
  request: string;
  format: OutputFormat;
  locale: Locale;
  requester: string;
  started_at: string;
  /** `data`: the bytes, base64, of a binary table (Parquet); its `text` is empty. */
  attachments: { name: string; text: string; data?: string }[];
}

export interface UserIntent {
  category: string;
  language: Locale;
  summary: string;
}

/** A finished turn, kept in the checkpointed state so history and rewind see the same thing. */
export interface TurnRecord {
  run_id: string;
  request: string;
  answer: string;
  format: OutputFormat;
  at: string;
}

export const EMPTY_USAGE: LlmUsageTotals = {
  calls: 0,
  cached_calls: 0,
  input_tokens: 0,
  output_tokens: 0,
  llm_ms: 0,
};

export function addUsage(a: LlmUsageTotals, b: LlmUsageTotals): LlmUsageTotals {
  return {
    calls: a.calls + b.calls,
    cached_calls: a.cached_calls + b.cached_calls,
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    llm_ms: a.llm_ms + b.llm_ms,
  };
}

/** A keyed map merged update by update; `null` empties it at the start of a turn. */
function mergeOrReset<V>() {
  return (left: Record<string, V>, right: Record<string, V> | null): Record<string, V> =>
    right === null ? {} : { ...left, ...right };
}

export const SupervisorState = Annotation.Root({
  /** The conversation as the model sees it: each turn's request and final answer. */
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  turn: Annotation<TurnInput | null>({ reducer: (_, next) => next, default: () => null }),
  user_intent: Annotation<UserIntent | null>({ reducer: (_, next) => next, default: () => null }),
  plan: Annotation<PlanStep[]>({ reducer: (_, next) => next, default: () => [] }),
  /** Results by step id; parallel steps write disjoint keys, so merging is order-free. */
  step_results: Annotation<Record<string, StepResult>, Record<string, StepResult> | null>({
    reducer: mergeOrReset<StepResult>(),
    default: () => ({}),
  }),
  replans: Annotation<number>({ reducer: (_, next) => next, default: () => 0 }),
  aggregated_data: Annotation<AggregatedData | null>({ reducer: (_, next) => next, default: () => null }),
  /** One entry per generator; `all` runs them in parallel and they merge here. */
  final_result: Annotation<FinalResult, FinalResult | null>({
    reducer: (left, right) => (right === null ? {} : { ...left, ...right }),
    default: () => ({}),
  }),
  usage: Annotation<LlmUsageTotals, LlmUsageTotals | null>({
    reducer: (left, right) => (right === null ? EMPTY_USAGE : addUsage(left, right)),
    default: () => EMPTY_USAGE,
  }),
  turns: Annotation<TurnRecord[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
});

export type SupervisorStateType = typeof SupervisorState.State;

/** What a node returns: plain values per channel (null resets the keyed ones). */
export type SupervisorUpdate = Partial<{
  messages: BaseMessage[];
  turn: TurnInput | null;
  user_intent: UserIntent | null;
  plan: PlanStep[];
  step_results: Record<string, StepResult> | null;
  replans: number;
  aggregated_data: AggregatedData | null;
  final_result: FinalResult | null;
  usage: LlmUsageTotals | null;
  turns: TurnRecord[];
}>;

/**
 * The graph input that starts a turn: the request joins the conversation, and everything that belongs to
 * one turn (intent, plan, results, answer, usage) starts empty.
 */
export function newTurnInput(turn: TurnInput): SupervisorUpdate {
  return {
    messages: [new HumanMessage(turn.request)],
    turn,
    user_intent: null,
    plan: [],
    step_results: null,
    replans: 0,
    aggregated_data: null,
    final_result: null,
    usage: null,
  };
}
