import type { StateSnapshot } from "@langchain/langgraph";
import type { SupervisorGraph, TurnRecord } from "../supervisor/index.js";
import { OctoError } from "../vocabulary/index.js";
import type { CheckpointSummary, RewindTarget, TurnSummary } from "./types.js";

/** How far back history looks; a conversation has ~10 checkpoints per turn. */
const HISTORY_LIMIT = 1_000;

function threadConfig(threadKey: string, checkpointId?: string) {
  return { configurable: { thread_id: threadKey, ...(checkpointId ? { checkpoint_id: checkpointId } : {}) } };
}

function idOf(snapshot: StateSnapshot): string {
  return snapshot.config.configurable?.checkpoint_id as string;
}

function turnsOf(snapshot: StateSnapshot): TurnRecord[] {
  return ((snapshot.values as { turns?: TurnRecord[] }).turns ?? []) as TurnRecord[];
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
  const byId = new Map(all.map((snapshot) => [idOf(snapshot), snapshot]));
  const branch: StateSnapshot[] = [];
  let cursor = all[0];
  while (cursor) {
    branch.push(cursor);
    const parent = cursor.parentConfig?.configurable?.checkpoint_id as string | undefined;
    cursor = parent ? byId.get(parent) : undefined;
  }
  return branch;
}

export function summarizeCheckpoints(branch: readonly StateSnapshot[]): CheckpointSummary[] {
  return branch.map((snapshot) => ({
    checkpointId: idOf(snapshot),
    createdAt: snapshot.createdAt ?? "",
    step: Number(snapshot.metadata?.step ?? 0),
    next: [...snapshot.next],
    writer: writerOf(snapshot),
    turns: turnsOf(snapshot).length,
  }));
}

function writerOf(snapshot: StateSnapshot): string | undefined {
  const writes = (snapshot.metadata as { writes?: Record<string, unknown> } | undefined)?.writes;
  const [first] = writes ? Object.keys(writes) : [];
  return first ?? (snapshot.metadata?.source === "input" ? "input" : undefined);
}

/** Each completed turn with the checkpoint that ends it (the newest such on the branch). */
export function summarizeTurns(branch: readonly StateSnapshot[]): TurnSummary[] {
  const head = branch[0];
  if (!head) return [];
  return turnsOf(head).map((turn, index) => {
    const end = branch.find((s) => s.next.length === 0 && turnsOf(s).length === index + 1);
    return {
      index: index + 1,
      request: turn.request,
      answer: turn.answer,
      format: turn.format,
      checkpointId: end ? idOf(end) : "",
      at: turn.at,
    };
  });
}

/**
 * Forks the conversation from an earlier checkpoint (the seed's time travel): the fork becomes the head,
 * so the next message continues from there; the abandoned branch stays in the store.
 */
export async function forkFrom(
  graph: SupervisorGraph,
  threadKey: string,
  target: RewindTarget,
): Promise<{ checkpointId: string; turns: number }> {
  const branch = await currentBranch(graph, threadKey);
  const head = branch[0];
  const completed = head ? turnsOf(head).length : 0;
  let from: StateSnapshot | undefined;
  if ("turns" in target) {
    if (!Number.isInteger(target.turns) || target.turns < 1 || target.turns > completed) {
      throw new OctoError("nothing_to_rewind", `cannot rewind ${target.turns} turn(s) of ${completed}`, {
        params: { turns: completed },
      });
    }
    const keep = completed - target.turns;
    from =
      keep === 0
        ? branch[branch.length - 1]
        : branch.find((snapshot) => snapshot.next.length === 0 && turnsOf(snapshot).length === keep);
  } else {
    from = await graph.getState(threadConfig(threadKey, target.checkpointId)).catch(() => undefined);
    // For an unknown id LangGraph returns an empty snapshot echoing the config, with no creation time.
    if (from?.createdAt === undefined) from = undefined;
  }
  if (!from) {
    const shown = "checkpointId" in target ? target.checkpointId : `-${(target as { turns: number }).turns}`;
    throw new OctoError("checkpoint_not_found", `no checkpoint ${shown} in ${threadKey}`, {
      params: { checkpoint: shown },
    });
  }
  // Written "as" the last node, so the fork is a finished turn (nothing left to run) with the old values.
  const forked = await graph.updateState(from.config, {}, "respond");
  const fromTurns =
    from.metadata?.source === "input" && turnsOf(from).length === 0 ? 0 : turnsOf(from).length;
  return { checkpointId: forked.configurable?.checkpoint_id as string, turns: fromTurns };
}
