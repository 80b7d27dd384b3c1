import type { SessionRecord } from "../store/index.js";
import { EventChannel } from "./channel.js";
import type { RunContext, ServiceCore } from "./core.js";
import type { RunEvent } from "./events.js";
import { driveOrRollBack } from "./rollback.js";
import { RunEventFactory } from "./run-events.js";
import type { Platform, ResumedRun } from "./types.js";

/**
 * The platform's runs a crash or a shutdown cut short (sessions still marked active), each resumed from
 * its last checkpoint in its thread's queue.
 */
export async function resumeInterrupted(core: ServiceCore, platform: Platform): Promise<ResumedRun[]> {
  const cut = await core.store.sessions.listActive(platform);
  return cut.map((session) => {
    const channel = new EventChannel<RunEvent>();
    void core.work
      .guarded(session.threadId, channel, (signal) => resumeCutRun(core, session, channel, signal))
      .finally(() => channel.close());
    return { threadKey: session.threadId, user: session.requester, locale: session.locale, events: channel };
  });
}

/**
 * Carries a cut-short run on from its last checkpoint: steps that finished before the cut keep their
 * results, the rest run again. If that fails too, the conversation goes back to before the turn.
 */
async function resumeCutRun(
  core: ServiceCore,
  session: SessionRecord,
  channel: EventChannel<RunEvent>,
  signal: AbortSignal,
): Promise<void> {
  const branch = await core.runner.branch(session.threadId);
  const head = branch[0];
  const turn = head?.turn;
  const completed = head?.turns.length ?? 0;
  if (!head || head.complete || !turn) {
    // Nothing left to run (the process stopped between the last step and the status update).
    await core.store.sessions.settle(session.threadId, "completed", completed);
    return;
  }
  if ((await core.store.approvals.pending(session.threadId)).length > 0) {
    await core.store.sessions.settle(session.threadId, "waiting_human", completed);
    return;
  }
  const run: RunContext = {
    threadKey: session.threadId,
    runId: turn.run_id,
    locale: turn.locale,
    requester: turn.requester,
    events: new RunEventFactory(session.threadId, turn.run_id, turn.locale),
    channel,
    signal,
  };
  core.log.info(
    { threadKey: session.threadId, runId: turn.run_id, next: head.next },
    "resuming a run cut short",
  );
  channel.push(run.events.status("resuming"));
  const turnStart = branch.find((checkpoint) => checkpoint.complete);
  const before = {
    checkpointId: turnStart?.checkpointId,
    // A first turn that cannot be finished leaves no conversation behind, as a failed first turn does.
    session: completed > 0 ? { ...session, status: "completed" as const, turns: completed } : undefined,
  };
  await driveOrRollBack(core, run, (hooks) => core.runner.resume(run.threadKey, undefined, hooks), before, {
    platform: session.platform,
    request: { text: turn.request, format: turn.format, attachments: turn.attachments },
  });
}
