import { OctoError } from "../vocabulary/index.js";
import { approvalView, type ServiceCore } from "./core.js";
import { totalFeedback } from "./feedback.js";
import {
  checkpointNotFound,
  nothingToRewind,
  pageSize,
  summarizeCheckpoints,
  summarizeTurns,
} from "./history.js";
import { busyBeyond } from "./submit.js";
import type {
  CheckpointPage,
  CheckpointQuery,
  HistoryPage,
  RewindOutcome,
  RewindTarget,
  ThreadHistory,
} from "./types.js";
import { type ApprovalView, type ConversationSession, sessionViewOf } from "./views.js";

/**
 * What a thread holds (history, sessions, approvals) and the operations on it as a whole: rewind, forget.
 * History is one page: the turns come from the turn index, and only the latest checkpoints are read.
 */
export function threadHistory(
  core: ServiceCore,
  threadKey: string,
  page: HistoryPage = {},
): Promise<ThreadHistory> {
  const size = pageSize(page);
  return core.work.run(threadKey, async () => {
    const turns = await core.runner.turns(threadKey, size.turns, size.before);
    const { checkpoints, total } = await core.runner.checkpoints(threadKey, size.checkpoints);
    const session = await core.store.sessions.get(threadKey);
    const feedback = await core.store.feedback.tallies(threadKey);
    return {
      threadKey,
      session: session ? sessionViewOf(session) : undefined,
      ...summarizeTurns(turns, feedback),
      turnCount: turns.count,
      checkpoints: summarizeCheckpoints(checkpoints),
      checkpointCount: total,
      pendingApprovals: await pendingApprovalsOf(core, threadKey),
      feedback: totalFeedback(feedback),
    };
  });
}

/** A page of the conversation's checkpoints, newest first, with the cursor to the older page. */
export function checkpointsOf(
  core: ServiceCore,
  threadKey: string,
  query: CheckpointQuery = {},
): Promise<CheckpointPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 20), 1), 100);
  return core.work.run(threadKey, async () => {
    // One more than asked tells whether an older page exists.
    const { checkpoints, total } = await core.runner.checkpoints(threadKey, limit + 1, query.before);
    const page = summarizeCheckpoints(checkpoints.slice(0, limit));
    return {
      checkpoints: page,
      total,
      olderBefore: checkpoints.length > limit ? page.at(-1)?.checkpointId : undefined,
    };
  });
}

export async function pendingApprovalsOf(core: ServiceCore, threadKey: string): Promise<ApprovalView[]> {
  return (await core.store.approvals.pending(threadKey)).map((a) => approvalView(core, a));
}

/**
 * Forks the conversation from an earlier point; approvals still pending past it are cancelled. Refused
 * while the thread has work queued or running anywhere (`thread_busy`).
 */
export async function rewindThread(
  core: ServiceCore,
  threadKey: string,
  target: RewindTarget,
): Promise<RewindOutcome> {
  // A run under way, here or on another replica, would write on after the fork: it goes first.
  if (await busyBeyond(core, threadKey, 0, 4)) throw new OctoError("thread_busy", "work queued or running");
  return core.work.run(threadKey, async () => {
    const from = await rewindPoint(core, threadKey, target);
    const forked = await core.runner.fork(threadKey, from);
    if (!forked) throw checkpointNotFound(threadKey, target);
    const cancelled = await core.store.approvals.cancelPending(threadKey);
    await core.store.sessions.settle(threadKey, "completed", forked.turns);
    core.log.info(
      { threadKey, target, cancelled: cancelled.length, turns: forked.turns },
      "rewound a conversation",
    );
    return { threadKey, checkpointId: forked.checkpointId, turns: forked.turns };
  });
}

/**
 * The checkpoint a rewind forks from: the end of the turn `turns` back (the very start for all of them),
 * found in the turn index, or the one named. Throws the OctoError a person sees when there is none.
 */
async function rewindPoint(core: ServiceCore, threadKey: string, target: RewindTarget): Promise<string> {
  if ("checkpointId" in target) return target.checkpointId;
  const { completed, checkpointId } = await core.runner.rewindPoint(threadKey, target.turns);
  if (!Number.isInteger(target.turns) || target.turns < 1 || target.turns > completed)
    throw nothingToRewind(target.turns, completed);
  if (!checkpointId) throw checkpointNotFound(threadKey, target);
  return checkpointId;
}

/** Stops the thread's run and deletes everything it holds; true when there was something to forget. */
export function forgetThread(core: ServiceCore, threadKey: string): Promise<boolean> {
  core.work.abort(threadKey, new OctoError("llm_aborted", "conversation forgotten"));
  return core.work.run(threadKey, async () => {
    const session = await core.store.sessions.get(threadKey);
    const existed = session !== undefined || (await core.runner.head(threadKey)) !== undefined;
    await deleteThreadData(core, threadKey);
    core.log.info({ threadKey, existed }, "forgot a conversation");
    return existed;
  });
}

/**
 * Deletes every row the thread holds, table by table (one thread's rows per statement): what `forget`
 * and retention share. The session goes last, so a delete cut short leaves the thread listed and
 * the next forget or prune finishes it.
 */
export async function deleteThreadData(core: ServiceCore, threadKey: string): Promise<void> {
  await core.runner.deleteThread(threadKey);
  await core.store.approvals.deleteThread(threadKey);
  await core.store.retries.deleteThread(threadKey);
  await core.store.deliveries.deleteThread(threadKey);
  await core.store.feedback.deleteThread(threadKey);
  await core.store.runEvents.deleteThread(threadKey);
  await core.queue.discard(threadKey);
  await core.store.sessions.delete(threadKey);
}

export async function sessionOf(
  core: ServiceCore,
  threadKey: string,
): Promise<ConversationSession | undefined> {
  const record = await core.store.sessions.get(threadKey);
  return record ? sessionViewOf(record) : undefined;
}

export async function approvalOf(core: ServiceCore, approvalId: string): Promise<ApprovalView | undefined> {
  const record = await core.store.approvals.get(approvalId);
  return record ? approvalView(core, record) : undefined;
}
