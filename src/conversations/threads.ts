import { OctoError } from "../vocabulary/index.js";
import { approvalView, type ServiceCore } from "./core.js";
import { checkpointNotFound, rewindPoint, summarizeCheckpoints, summarizeTurns } from "./history.js";
import type { RewindOutcome, RewindTarget, ThreadHistory } from "./types.js";
import { type ApprovalView, type ConversationSession, sessionViewOf } from "./views.js";

/** What a thread holds (history, sessions, approvals) and the operations on it as a whole: rewind, forget. */
export function threadHistory(core: ServiceCore, threadKey: string): Promise<ThreadHistory> {
  return core.work.run(threadKey, async () => {
    const branch = await core.runner.branch(threadKey);
    const session = await core.store.sessions.get(threadKey);
    return {
      threadKey,
      session: session ? sessionViewOf(session) : undefined,
      turns: summarizeTurns(branch),
      checkpoints: summarizeCheckpoints(branch),
      pendingApprovals: (await core.store.approvals.pending(threadKey)).map((a) => approvalView(core, a)),
    };
  });
}

/** Forks the conversation from an earlier point; approvals still pending past it are cancelled. */
export function rewindThread(
  core: ServiceCore,
  threadKey: string,
  target: RewindTarget,
): Promise<RewindOutcome> {
  return core.work.run(threadKey, async () => {
    const from = rewindPoint(await core.runner.branch(threadKey), threadKey, target);
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

/** Stops the thread's run and deletes everything it holds; true when there was something to forget. */
export function forgetThread(core: ServiceCore, threadKey: string): Promise<boolean> {
  core.work.abort(threadKey, new OctoError("llm_aborted", "conversation forgotten"));
  return core.work.run(threadKey, async () => {
    const session = await core.store.sessions.get(threadKey);
    const existed = session !== undefined || (await core.runner.head(threadKey)) !== undefined;
    await core.runner.deleteThread(threadKey);
    await core.store.approvals.deleteThread(threadKey);
    await core.store.retries.deleteThread(threadKey);
    await core.store.deliveries.deleteThread(threadKey);
    await core.store.sessions.delete(threadKey);
    core.log.info({ threadKey, existed }, "forgot a conversation");
    return existed;
  });
}

export async function sessionsOf(core: ServiceCore, user: string): Promise<ConversationSession[]> {
  return (await core.store.sessions.listByRequester(user)).map(sessionViewOf);
}

export async function approvalOf(core: ServiceCore, approvalId: string): Promise<ApprovalView | undefined> {
  const record = await core.store.approvals.get(approvalId);
  return record ? approvalView(core, record) : undefined;
}
