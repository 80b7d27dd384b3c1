import type { FeedbackTally } from "../store/index.js";
import type { BranchCheckpoint, TurnPage } from "../supervisor/index.js";
import { OctoError } from "../vocabulary/index.js";
import { NO_FEEDBACK } from "./feedback.js";
import type { CheckpointSummary, HistoryPage, RewindTarget, TurnSummary } from "./types.js";

const TURNS_SHOWN = 20;
const MAX_TURNS_SHOWN = 200;
const CHECKPOINTS_SHOWN = 10;
const MAX_CHECKPOINTS_SHOWN = 100;

/** How much of a conversation a history page holds, within bounds whatever the caller asked. */
export function pageSize(page: HistoryPage): {
  turns: number;
  before: number | undefined;
  checkpoints: number;
} {
  return {
    turns: bounded(page.limit, TURNS_SHOWN, MAX_TURNS_SHOWN),
    before: page.before !== undefined && Number.isInteger(page.before) ? page.before : undefined,
    checkpoints: bounded(page.checkpoints, CHECKPOINTS_SHOWN, MAX_CHECKPOINTS_SHOWN),
  };
}

function bounded(asked: number | undefined, fallback: number, max: number): number {
  if (asked === undefined || !Number.isFinite(asked)) return fallback;
  return Math.min(Math.max(Math.trunc(asked), 0), max);
}

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

/**
 * A page of completed turns, each with the checkpoint that ends it and its answer's ratings, and the
 * cursor to the older page.
 */
export function summarizeTurns(
  page: TurnPage,
  feedback: ReadonlyMap<string, FeedbackTally>,
): { turns: TurnSummary[]; olderBefore: number | undefined } {
  const turns = page.turns.map((turn) => ({
    index: turn.turnIndex,
    runId: turn.runId,
    request: turn.request,
    answer: turn.answer,
    format: turn.format,
    checkpointId: turn.checkpointId,
    at: turn.at,
    feedback: { ...(feedback.get(turn.runId) ?? NO_FEEDBACK) },
  }));
  const oldest = turns[0]?.index;
  return { turns, olderBefore: oldest !== undefined && oldest > 1 ? oldest : undefined };
}

/** The OctoError a person sees for going back more turns than the conversation has (or none). */
export function nothingToRewind(back: number, completed: number): OctoError {
  return new OctoError("nothing_to_rewind", `cannot rewind ${back} turn(s) of ${completed}`, {
    params: { turns: completed },
  });
}

export function checkpointNotFound(threadKey: string, target: RewindTarget): OctoError {
  const shown = "checkpointId" in target ? target.checkpointId : `-${target.turns}`;
  return new OctoError("checkpoint_not_found", `no checkpoint ${shown} in ${threadKey}`, {
    params: { checkpoint: shown },
  });
}
