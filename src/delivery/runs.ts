import type { Attachment, EventStream, RunDelivery } from "../conversations/types.js";
import { detectLocale, type OutputFormat } from "../vocabulary/index.js";
import type { Delivery } from "./context.js";
import { deliverRun } from "./run-delivery.js";
import type { ThreadSink } from "./sink.js";

/** A request for a conversation turn: one call on the service, its events delivered to the thread. */
export interface RunRequest {
  threadKey: string;
  user: string;
  text: string;
  format: OutputFormat | undefined;
  attachments?: Attachment[] | undefined;
  /**
   * A plain reply in a thread (no mention): people also talk to each other there, so a refusal that
   * changes nothing (waiting for an approval, an empty message) goes to the poster alone, and the
   * progress card waits until a run really starts.
   */
  quiet?: boolean;
  /** The platform event's dedupe key, claimed with the request's job in one transaction. */
  claim?: { key: string; ttlSeconds: number };
  /** Told once the request is kept as a job (or refused): when the platform may acknowledge it. */
  onKept?: () => void;
  /** A message already in the thread to show the run's progress instead of a new card (`SendInput.progressCard`). */
  progressCard?: string | undefined;
}

export async function runRequest<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  request: RunRequest,
): Promise<void> {
  // Only what is known at once comes back (a refusal, "queued"); the run itself is reported by the
  // deliverer of whichever process takes its job (see attachDelivery).
  const stream: EventStream = ctx.conversations.send(
    {
      platform: ctx.platform,
      threadKey: request.threadKey,
      user: request.user,
      text: request.text,
      format: request.format,
      quiet: request.quiet ?? false,
      ...(request.claim ? { claim: request.claim } : {}),
      ...(request.progressCard ? { progressCard: request.progressCard } : {}),
      ...(request.attachments && request.attachments.length > 0 ? { attachments: request.attachments } : {}),
    },
    { follow: false, onKept: request.onKept },
  );
  await deliverRun(ctx, sink, stream, {
    threadKey: request.threadKey,
    user: request.user,
    locale: detectLocale(request.text),
    cardAtOnce: false,
    quiet: request.quiet ?? false,
    progressCard: request.progressCard,
  });
}

/**
 * Reports this platform's runs, whichever process accepted them: each job's events to its thread.
 * `sinkFor` gives the thread a key names, or undefined when the key is not one of this platform's.
 * Returns the detach, for the adapter's stop.
 */
export function attachDelivery<M>(
  ctx: Delivery<M>,
  sinkFor: (threadKey: string) => ThreadSink<M> | undefined,
): () => void {
  return ctx.conversations.deliverTo(ctx.platform, (run) =>
    ctx.tasks.track(`run ${run.runId}`, () => deliverJob(ctx, sinkFor, run)),
  );
}

async function deliverJob<M>(
  ctx: Delivery<M>,
  sinkFor: (threadKey: string) => ThreadSink<M> | undefined,
  run: RunDelivery,
): Promise<void> {
  const sink = sinkFor(run.threadKey);
  if (!sink) {
    ctx.log.warn({ threadKey: run.threadKey }, `a run has no ${ctx.platformName} thread to report to`);
    for await (const _event of run.events) {
      // Drained so the run still completes and its state is saved.
    }
    return;
  }
  await deliverRun(ctx, sink, run.events, {
    threadKey: run.threadKey,
    user: run.user,
    locale: run.locale,
    runId: run.runId,
    cardAtOnce: !run.quiet && run.kind === "turn",
    quiet: run.quiet,
    progressCard: run.progressCard,
  });
}
