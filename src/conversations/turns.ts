import { randomUUID } from "node:crypto";
import { ProcessedEventStore, type Queryable } from "../store/index.js";
import type { TurnInput } from "../supervisor/index.js";
import { clip, detectLocale, OctoError } from "../vocabulary/index.js";
import { settleOverdueApprovals } from "./approvals.js";
import { EventChannel } from "./channel.js";
import type { RunContext, ServiceCore } from "./core.js";
import type { RunEvent } from "./events.js";
import type { TurnJob } from "./jobs.js";
import { carryOn } from "./recovery.js";
import { driveOrRollBack, snapshot } from "./rollback.js";
import { errorEvent, RunEventFactory } from "./run-events.js";
import { followIdFor, submitJob, waits } from "./submit.js";
import type { RunEnd } from "./thread-work.js";
import type { EventStream, SendInput, SubmitOptions } from "./types.js";
import { validateSend } from "./validation.js";

/**
 * A person's message: refused at once when no run should start from it, else kept as a job of its
 * thread (with the platform event's dedupe claim, in one transaction) and run as a new turn of the
 * conversation when the thread's earlier work is done, on whichever process takes it.
 */
export function sendTurn(
  core: ServiceCore,
  input: SendInput,
  options: SubmitOptions & {
    /** Writes that must commit with the job; when they refuse, `refusal` is what the caller hears. */
    with?: (tx: Queryable) => Promise<boolean>;
    refusal?: OctoError;
    /** The retry `with` claims, given back if the turn is refused before it runs. */
    retryId?: string;
  } = {},
): EventStream {
  const channel = new EventChannel<RunEvent>();
  const runId = `run_${randomUUID()}`;
  const locale = detectLocale(input.text ?? "");
  const events = new RunEventFactory(input.threadKey, runId, locale);
  const refused = validateSend(input, {
    maxInputChars: core.settings.maxInputChars,
    defaultFormat: core.settings.defaultFormat,
  });
  if (!refused.ok) {
    core.log.warn(
      { threadKey: input.threadKey, user: input.user, kind: refused.error.code },
      "refused a message",
    );
    channel.push(events.error(refused.error));
    channel.close();
    options.onKept?.();
    return channel;
  }
  const job: TurnJob = {
    kind: "turn",
    platform: input.platform,
    threadKey: input.threadKey,
    runId,
    user: input.user,
    locale,
    quiet: input.quiet ?? false,
    followId: followIdFor(options),
    text: refused.value.text,
    format: refused.value.format,
    attachments: (input.attachments ?? []).map((file) => ({
      name: file.name,
      ...(file.text === undefined ? {} : { text: file.text }),
      ...(file.data === undefined ? {} : { data: file.data }),
      ...(file.mimeType === undefined ? {} : { mimeType: file.mimeType }),
    })),
    acceptedAt: new Date().toISOString(),
    ...(input.progressCard ? { progressCard: input.progressCard } : {}),
    ...(options.retryId ? { retryId: options.retryId } : {}),
  };
  const claim = input.claim;
  void submitJob(core, job, channel, {
    with: async (tx) =>
      (!claim || (await new ProcessedEventStore(tx).claim(claim.key, claim.ttlSeconds))) &&
      (!options.with || (await options.with(tx))),
    // The request is held here while the database is down: the platform may take its ack now (its
    // redelivery could not be stored either), and the person hears it will start once the store is back.
    onStoreRetrying: () => {
      channel.push(events.storeRetrying());
      options.onKept?.();
    },
    beforeRun: async () => {
      options.onKept?.();
      options.onRun?.(runId);
      if (await waits(core, input.threadKey)) channel.push(events.status("queued"));
    },
  })
    .then((added) => {
      if (added) return;
      core.log.info({ threadKey: input.threadKey, claim: claim?.key }, "duplicate request ignored");
      if (options.refusal) channel.push(events.error(options.refusal));
    })
    .catch((error: unknown) => {
      core.log.error({ err: error, threadKey: input.threadKey }, "could not accept a message");
      channel.push(
        errorEvent(new OctoError("store_unavailable", "enqueue failed", { cause: error }), {
          threadKey: input.threadKey,
          runId,
          locale,
        }),
      );
    })
    .finally(() => {
      channel.close();
      options.onKept?.();
    });
  return channel;
}

/** The job of a turn: a new turn, or, when this request's turn began before a crash, that turn carried on. */
export async function turnJob(
  core: ServiceCore,
  job: TurnJob,
  run: RunContext,
  attempt: number,
): Promise<RunEnd> {
  const retry = {
    platform: job.platform,
    request: { text: job.text, format: job.format, attachments: job.attachments },
  };
  if (attempt > 1) {
    const head = await core.runner.current(job.threadKey);
    if (head?.turn?.run_id === job.runId) return carryOn(core, run, head, retry);
  }
  const pending = await settleOverdueApprovals(core, run);
  if (!pending) {
    await releaseRetry(core, job);
    return "failed";
  }
  const waiting = pending[0];
  if (waiting) {
    await releaseRetry(core, job);
    core.log.warn(
      { threadKey: run.threadKey, approvalId: waiting.approvalId },
      "message while an approval is pending",
    );
    run.channel.push(
      run.events.error(
        new OctoError("approval_pending", "pending approval", {
          params: { step: waiting.stepId, agent: waiting.agent },
        }),
      ),
    );
    return "finished";
  }

  const turn: TurnInput = {
    run_id: run.runId,
    request: job.text,
    format: job.format,
    locale: run.locale,
    requester: job.user,
    started_at: new Date().toISOString(),
    attachments: job.attachments
      .filter((file) => Boolean(file.text) || Boolean(file.data))
      .map((file) => ({ name: file.name, text: file.text ?? "", ...(file.data ? { data: file.data } : {}) })),
  };
  const before = await snapshot(core, run.threadKey);
  await core.store.sessions.beginTurn({
    threadId: run.threadKey,
    platform: job.platform,
    requester: job.user,
    title: clip(job.text.replace(/\s+/g, " "), 80, ""),
    locale: run.locale,
    format: job.format,
  });
  core.log.info(
    { threadKey: run.threadKey, runId: run.runId, format: job.format, locale: run.locale, attempt },
    "turn started",
  );
  core.metrics.runStarted({ platform: job.platform, format: job.format });
  return driveOrRollBack(
    core,
    run,
    (hooks) => core.runner.startTurn(run.threadKey, turn, hooks),
    before,
    retry,
  );
}

/** A retry's turn refused before it ran did not use the retry: its button works again afterwards. */
async function releaseRetry(core: ServiceCore, job: TurnJob): Promise<void> {
  if (!job.retryId) return;
  try {
    await core.store.retries.release(job.retryId);
    core.log.info({ threadKey: job.threadKey, retryId: job.retryId }, "retry not run; usable again");
  } catch (error) {
    core.log.error({ err: error, retryId: job.retryId }, "could not make a refused retry usable again");
  }
}
