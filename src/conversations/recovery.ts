import type { RetryRequest } from "../store/index.js";
import type { RunHead } from "../supervisor/index.js";
import { approvalCardOf } from "./approval-card.js";
import type { RunContext, ServiceCore } from "./core.js";
import { driveOrRollBack } from "./rollback.js";
import { enqueueJob } from "./submit.js";
import type { RunEnd } from "./thread-work.js";

/**
 * Carries on a run that was cut short (a crash, a deploy), from its last checkpoint: steps that finished
 * keep their results, the rest run again; a run that had finished is reported (what was delivered
 * before is not posted twice), one waiting for approvals shows its cards. If carrying on fails, the
 * conversation goes back to before the turn, with a retry when `retry` says how.
 */
export async function carryOn(
  core: ServiceCore,
  run: RunContext,
  head: RunHead,
  retry?: { platform: string; request: RetryRequest },
): Promise<RunEnd> {
  const { threadKey } = run;
  if (head.complete) {
    await core.store.sessions.settle(threadKey, "completed", head.turns);
    if (head.result && head.turn?.run_id === run.runId) {
      run.channel.push(run.events.status("done"));
      run.channel.push(run.events.result(head.result));
    }
    return "finished";
  }
  // What the run showed before the cut, so the progress card it left is carried on, not restarted.
  const replay = () => {
    if (head.plan.length > 0) run.channel.push(run.events.plan(head.plan, false));
    for (const result of head.stepResults) run.channel.push(run.events.stepFinished(result));
  };
  const pending = await core.store.approvals.pending(threadKey);
  if (pending.length > 0) {
    await core.store.sessions.settle(threadKey, "waiting_human", head.turns);
    replay();
    for (const approval of pending) run.channel.push(run.events.approvalRequested(approvalCardOf(approval)));
    run.channel.push(run.events.status("waiting_approval"));
    return "finished";
  }
  core.log.info({ threadKey, runId: run.runId }, "carrying on a run cut short");
  run.channel.push(run.events.status("resuming"));
  replay();
  // Where a carried-on run that fails goes back to: the end of the conversation's last finished turn.
  const lastTurn = head.turns > 0 ? (await core.runner.turns(threadKey, 1)).turns[0] : undefined;
  const session = await core.store.sessions.get(threadKey);
  const before = {
    checkpointId: lastTurn?.checkpointId,
    // A first turn that cannot be finished leaves no conversation behind, as a failed first turn does.
    session:
      session && head.turns > 0 ? { ...session, status: "completed" as const, turns: head.turns } : undefined,
  };
  return driveOrRollBack(
    core,
    run,
    (hooks) => core.runner.resume(threadKey, undefined, hooks),
    before,
    retry,
  );
}

/** The job that carries on a run found cut short without a job of its own (see takeOverOrphans). */
export async function resumeJob(core: ServiceCore, run: RunContext): Promise<RunEnd> {
  const head = await core.runner.current(run.threadKey);
  if (!head) {
    await core.store.sessions.settle(run.threadKey, "completed", 0);
    return "finished";
  }
  const turn = head.turn;
  const retry = turn
    ? { platform: "", request: { text: turn.request, format: turn.format, attachments: turn.attachments } }
    : undefined;
  const session = await core.store.sessions.get(run.threadKey);
  return carryOn(core, run, head, retry && session ? { ...retry, platform: session.platform } : undefined);
}

/**
 * At start-up: sessions marked active with no job of their thread waiting or running anywhere were cut
 * short by a version before the queue (every run now is a job, and a dead process's jobs go back to
 * the queue by themselves). Each gets a job that carries it on; the dedupe key keeps replicas starting
 * together from adding two.
 */
export async function takeOverOrphans(core: ServiceCore): Promise<number> {
  let added = 0;
  // Only where this process can report them: a Slack-only server leaves a console's run alone.
  for (const platform of core.routes.platforms()) {
    for (const session of await core.store.sessions.listActive(platform)) {
      if ((await core.queue.depth(session.threadId)) > 0) continue;
      const head = await core.runner.current(session.threadId);
      const turn = head?.turn;
      await enqueueJob(
        core,
        {
          kind: "resume",
          platform,
          threadKey: session.threadId,
          runId: turn?.run_id ?? `run_resumed_${Date.now()}`,
          user: turn?.requester ?? session.requester,
          locale: turn?.locale ?? session.locale,
          quiet: false,
        },
        { priority: "first", dedupeKey: `resume:${session.threadId}` },
      );
      added += 1;
    }
  }
  if (added > 0) core.log.info({ runs: added }, "took over runs cut short with no job");
  return added;
}
