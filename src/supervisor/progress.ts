import type { LangGraphRunnableConfig } from "@langchain/langgraph";

/**
 * What nodes report while they work, through LangGraph's custom stream. Platform-neutral: the
 * conversation service turns these into run events.
 */
export type GraphProgress =
  | { kind: "node_started"; node: string; replan?: boolean }
  | { kind: "step_started"; step_id: number; agent: string; task: string; attempt: number };

export function reportProgress(config: LangGraphRunnableConfig | undefined, progress: GraphProgress): void {
  config?.writer?.(progress);
}

export function isGraphProgress(value: unknown): value is GraphProgress {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === "node_started" || kind === "step_started";
}
