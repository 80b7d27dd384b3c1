import type { BranchCheckpoint } from "../supervisor/index.js";
import { OctoError } from "../vocabulary/index.js";
import type { CheckpointSummary, RewindTarget, TurnSummary } from "./types.js";

export function summarizeCheckpoints(branch: readonly BranchCheckpoint[]): CheckpointSummary[] {
  return branch.map((checkpoint) => ({
    checkpointId: checkpoint.checkpointId,
    createdAt: checkpoint.createdAt,
    step: checkpoint.step,
    next: [...checkpoint.next],
    writer: checkpoint.writer,
    turns: checkpoint.turns.length,
  }));
}

/** Each completed turn with the checkpoint that ends it (the newest such on the branch). */
export function summarizeTurns(branch: readonly BranchCheckpoint[]): TurnSummary[] {
  const head = branch[0];
  if (!head) return [];
  return head.turns.map((turn, index) => {
    const end = branch.find((c) => c.complete && c.turns.length === index + 1);
    return {
      index: index + 1,
      request: turn.request,
      answer: turn.answer,
      format: turn.format,
      checkpointId: end ? end.checkpointId : "",
      at: turn.at,
    };
  });
}

/**
 * The checkpoint a rewind forks from: the end of the turn `turns` back (the very start for all of
 * them), or the one named. Throws the OctoError a person sees when there is none.
 */
export function rewindPoint(
  branch: readonly BranchCheckpoint[],
  threadKey: string,
  target: RewindTarget,
): string {
  if ("checkpointId" in target) return target.checkpointId;
  const completed = branch[0]?.turns.length ?? 0;
  if (!Number.isInteger(target.turns) || target.turns < 1 || target.turns > completed) {
    throw new OctoError("nothing_to_rewind", `cannot rewind ${target.turns} turn(s) of ${completed}`, {
      params: { turns: completed },
    });
  }
  const keep = completed - target.turns;
  const from =
    keep === 0 ? branch[branch.length - 1] : branch.find((c) => c.complete && c.turns.length === keep);
  if (!from) throw checkpointNotFound(threadKey, target);
  return from.checkpointId;
}

export function checkpointNotFound(threadKey: string, target: RewindTarget): OctoError {
  const shown = "checkpointId" in target ? target.checkpointId : `-${target.turns}`;
  return new OctoError("checkpoint_not_found", `no checkpoint ${shown} in ${threadKey}`, {
    params: { checkpoint: shown },
  });
}
