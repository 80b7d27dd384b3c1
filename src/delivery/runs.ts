import type { Attachment, EventStream, ResumedRun } from "../conversations/types.js";
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
}

export async function runRequest<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  request: RunRequest,
): Promise<void> {
  const stream: EventStream = ctx.conversations.send({
    platform: ctx.platform,
    threadKey: request.threadKey,
    user: request.user,
    text: request.text,
    format: request.format,
    ...(request.attachments && request.attachments.length > 0 ? { attachments: request.attachments } : {}),
  });
  await deliverRun(ctx, sink, stream, {
    threadKey: request.threadKey,
    user: request.user,
    locale: detectLocale(request.text),
    cardAtOnce: !request.quiet,
    quiet: request.quiet ?? false,
  });
}

/**
 * Runs a crash or a stop cut short carry on in their threads, now that replies can be posted again.
 * `sinkFor` gives the thread a key names, or undefined when the key is not one of this platform's.
 */
export async function resumeCutRuns<M>(
  ctx: Delivery<M>,
  sinkFor: (threadKey: string) => ThreadSink<M> | undefined,
): Promise<void> {
  const resumed = await ctx.conversations.resumeInterrupted(ctx.platform);
  await Promise.all(resumed.map((run) => resume(ctx, sinkFor, run)));
}

async function resume<M>(
  ctx: Delivery<M>,
  sinkFor: (threadKey: string) => ThreadSink<M> | undefined,
  run: ResumedRun,
): Promise<void> {
  const sink = sinkFor(run.threadKey);
  if (!sink) {
    ctx.log.warn(
      { threadKey: run.threadKey },
      `a resumed run has no ${ctx.platformName} thread to report to`,
    );
    for await (const _event of run.events) {
      // Drained so the run still completes and its state is saved.
    }
    return;
  }
  ctx.log.info({ threadKey: run.threadKey }, "resuming a run a restart cut short");
  await deliverRun(ctx, sink, run.events, {
    threadKey: run.threadKey,
    user: run.user,
    locale: run.locale,
    cardAtOnce: true,
  });
}
