import type { StateSnapshot } from "@langchain/langgraph";
import type { SupervisorGraph } from "../graph.js";
import type { TurnInput, TurnRecord } from "../state.js";
import type { BranchCheckpoint } from "./types.js";

/** How far back history looks; a conversation has ~10 checkpoints per turn. */
const HISTORY_LIMIT = 1_000;

export function threadConfig(threadKey: string, checkpointId?: string) {
  return { configurable: { thread_id: threadKey, ...(checkpointId ? { checkpoint_id: checkpointId } : {}) } };
}

export function checkpointIdOf(snapshot: StateSnapshot): string {
  return snapshot.config.configurable?.checkpoint_id as string;
}

export function checkpointOf(snapshot: StateSnapshot): BranchCheckpoint {
  const values = snapshot.values as { turn?: TurnInput | null; turns?: TurnRecord[] };
  return {
    checkpointId: checkpointIdOf(snapshot),
    createdAt: snapshot.createdAt ?? "",
    step: Number(snapshot.metadata?.step ?? 0),
    next: [...snapshot.next],
    complete: snapshot.next.length === 0,
    writer: writerOf(snapshot),
    turn: values.turn ?? null,
    turns: values.turns ?? [],
  };
}

function writerOf(snapshot: StateSnapshot): string | undefined {
  const writes = (snapshot.metadata as { writes?: Record<string, unknown> } | undefined)?.writes;
  const [first] = writes ? Object.keys(writes) : [];
  return first ?? (snapshot.metadata?.source === "input" ? "input" : undefined);
}

/**
 * The checkpoints on the current branch, newest first. After a rewind the thread holds abandoned
 * branches too; following parent links from the head keeps only the conversation as it stands.
 */
export async function currentBranch(graph: SupervisorGraph, threadKey: string): Promise<StateSnapshot[]> {
  const all: StateSnapshot[] = [];
  for await (const snapshot of graph.getStateHistory(threadConfig(threadKey), { limit: HISTORY_LIMIT })) {
    all.push(snapshot);
  }
  const byId = new Map(all.map((snapshot) => [checkpointIdOf(snapshot), snapshot]));
  const branch: StateSnapshot[] = [];
  let cursor = all[0];
  while (cursor) {
    branch.push(cursor);
    const parent = cursor.parentConfig?.configurable?.checkpoint_id as string | undefined;
    cursor = parent ? byId.get(parent) : undefined;
  }
  return branch;
}
