import type { RunEvent } from "../conversations/events.js";
import { errorEvent } from "../conversations/index.js";
import type { EventStream } from "../conversations/types.js";
import { applyRunEvent, initialProgress, type ProgressState } from "../renderers/progress.js";
import type { Locale } from "../vocabulary/index.js";
import type { Delivery } from "./context.js";
import { postAll, postAllWithFiles, postPrivately, uploadAll } from "./posting.js";
import { RunProgress } from "./run-progress.js";
import { RunRecord } from "./run-record.js";
import type { ThreadSink } from "./sink.js";
import { ThreadStatus } from "./thread-status.js";

/**
 * Turns a run's event stream into messages in its thread: its progress (the platform's native stream,
 * or a card edited as steps move, see RunProgress), approval cards, then the answer and its files, or a
 * polite error, with a retry button when the service kept the request for one (its `retry_id`: stored
 * in the database, so the button works after a restart and on any replica).
 */
export interface RunTarget {
  threadKey: string;
  /** Who the run is for: their locale is remembered, and private refusals go to them. */
  user: string;
  locale: Locale;
  /** Show progress before the first event (new requests) or only once events come (resumes). */
  cardAtOnce: boolean;
  /** Refusals that change nothing, before any run started, go to `user` alone. */
  quiet?: boolean;
  /** Approval cards already in the thread (approval id -> message id), to redraw when reopened. */
  cards?: Map<string, string>;
  /**
   * Set by the run's own delivery (its job's): what it delivers is recorded under this run (see
   * DeliveryLedger.delivered), its progress card or stream is carried on, not posted again, and what was
   * posted before is skipped. Undefined: a delivery of what a request or click got at once, recorded
   * under the first event's run.
   */
  runId?: string;
  /**
   * A message already in the thread that is the run's progress card (Discord: the slash command's
   * deferred reply): edited, never posted, unless the run's record names another.
   */
  progressCard?: string | undefined;
}

export async function deliverRun<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  stream: EventStream,
  target: RunTarget,
): Promise<void> {
  const { renderer } = ctx;
  let state: ProgressState = initialProgress(target.locale);
  let locale = target.locale;
  const cards = new Map(target.cards);
  let record: RunRecord | undefined;
  const recordOf = async (runId: string) => {
    record ??= await RunRecord.load(ctx, target.threadKey, target.runId ?? runId, target.progressCard);
    return record;
  };
  const progress = new RunProgress(ctx, sink, target.user, target.runId !== undefined);
  const status = new ThreadStatus(ctx, sink, target.threadKey);
  if (target.cardAtOnce) await progress.show(await recordOf(target.runId ?? ""), state);

  const handle = async (event: RunEvent) => {
    state = applyRunEvent(state, event);
    locale = event.locale;
    ctx.userLocales.set(target.user, locale);
    status.observe(event, state, locale);
    const done = await recordOf(event.runId);
    switch (event.type) {
      case "approval_requested": {
        await progress.show(done, state);
        const item = `approval:${event.approval.approval_id}`;
        const posted = done.get(item);
        if (posted) {
          cards.set(event.approval.approval_id, posted);
          return;
        }
        const [id] = await postAll(ctx, sink, [renderer.approval(event.approval, locale)]);
        if (id) {
          cards.set(event.approval.approval_id, id);
          await done.note(item, id);
        }
        return;
      }
      case "approval_reopened": {
        // Resuming after the decision failed: the card gets its buttons back, where it is known.
        await progress.show(done, state);
        const id =
          cards.get(event.approval.approval_id) ?? done.get(`approval:${event.approval.approval_id}`);
        if (id) await sink.update(id, renderer.approval(event.approval, locale)).catch(() => undefined);
        return;
      }
      case "result": {
        if (done.get("result")) return progress.finish(done, state);
        const options = {
          feedbackRunId: event.runId,
          ...(ctx.runLink ? { runUrl: ctx.runLink(target.threadKey, event.runId) } : {}),
        };
        const streamed = await progress.answer(done, state, event.result, locale, options);
        if (streamed) {
          await postAll(ctx, sink, streamed.messages);
          await uploadAll(ctx, sink, streamed.files, locale);
          return;
        }
        await progress.finish(done, state);
        const rendered = await renderer.result(event.result, locale, options);
        if (sink.postWithFiles) {
          const withFiles = sink.postWithFiles.bind(sink);
          const [first] = await postAllWithFiles(ctx, sink, withFiles, rendered, locale);
          await done.note("result", first ?? "posted");
          return;
        }
        const [first] = await postAll(ctx, sink, rendered.messages);
        await done.note("result", first ?? "posted");
        await uploadAll(ctx, sink, rendered.files, locale);
        return;
      }
      case "error": {
        if (target.quiet && !progress.opened && !event.retryable) {
          await postPrivately(sink, target.user, renderer.error(event, locale));
          return;
        }
        await progress.finish(done, state);
        const item = `error:${event.kind}`;
        if (done.get(item)) return;
        const [id] = await postAll(ctx, sink, [renderer.error(event, locale, { retryId: event.retry_id })]);
        await done.note(item, id ?? "posted");
        return;
      }
      case "plan":
        return progress.show(done, state, { urgent: true });
      case "status":
        if (event.status === "waiting_approval") return progress.pause(done, state);
        return progress.show(done, state);
      default:
        return progress.show(done, state);
    }
  };

  try {
    for await (const event of stream) await handle(event);
  } catch (error) {
    // The service reports failures as events; reaching here means it broke, which the person still hears about.
    ctx.log.error({ err: error, threadKey: target.threadKey }, "run event stream failed");
    await handle(errorEvent(error, { threadKey: target.threadKey, runId: state.runId, locale }));
  }
  // The run's own delivery never leaves a stream open (a stop, a pause, a shutdown); one that only
  // reported the request's acceptance leaves it to the run's delivery, which carries it on.
  if (target.runId !== undefined && record) await progress.close(record, state);
  await progress.settled();
  await status.settled();
}
