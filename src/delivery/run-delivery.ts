import type { RunEvent, RunEventOf } from "../conversations/events.js";
import type { EventStream } from "../conversations/types.js";
import { t } from "../i18n/index.js";
import { applyRunEvent, initialProgress, type ProgressState } from "../renderers/progress.js";
import type { Locale } from "../supervisor/types.js";
import type { Delivery } from "./context.js";
import { ProgressCard } from "./progress-card.js";
import type { ThreadSink } from "./sink.js";

/**
 * Turns a run's event stream into messages in its thread: a progress card edited as steps move,
 * approval cards, then the answer and its files, or a polite error, with a retry button when the service
 * kept the request for one (its `retry_id`: stored in the database, so the button works after a restart
 * and on any replica).
 */
export interface RunTarget {
  /** Who the run is for: their locale is remembered, and private refusals go to them. */
  user: string;
  locale: Locale;
  /** Post the progress card before the first event (new requests) or only once events come (resumes). */
  cardAtOnce: boolean;
  /** Refusals that change nothing, before any run started, go to `user` alone. */
  quiet?: boolean;
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
  const card = new ProgressCard(sink, ctx.progressIntervalMs);
  const progress = () => renderer.progress(state, locale);
  if (target.cardAtOnce) card.open(progress());

  const handle = async (event: RunEvent) => {
    state = applyRunEvent(state, event);
    locale = event.locale;
    ctx.userLocales.set(target.user, locale);
    switch (event.type) {
      case "approval_requested":
        card.show(progress());
        await postAll(ctx, sink, [renderer.approval(event.approval, locale)]);
        return;
      case "result": {
        await card.finish(progress());
        const rendered = await renderer.result(event.result, locale);
        await postAll(ctx, sink, rendered.messages);
        if (rendered.files.length > 0) await uploadAll(ctx, sink, rendered.files, locale);
        return;
      }
      case "error": {
        if (target.quiet && !card.opened && !event.retryable) {
          await postPrivately(sink, target.user, renderer.error(event, locale));
          return;
        }
        await card.finish(progress());
        await postAll(ctx, sink, [renderer.error(event, locale, { retryId: event.retry_id })]);
        return;
      }
      default:
        card.show(progress());
    }
  };

  try {
    for await (const event of stream) await handle(event);
  } catch (error) {
    // The service reports failures as events; reaching here means it broke, which the person still hears about.
    ctx.log.error({ err: error, threadKey: state.threadKey }, "run event stream failed");
    await handle(internalError(state, locale));
  }
  await card.settled();
}

function internalError(state: ProgressState, locale: Locale): RunEventOf<"error"> {
  return {
    type: "error",
    threadKey: state.threadKey ?? "",
    runId: state.runId ?? "",
    locale,
    at: new Date().toISOString(),
    kind: "internal",
    message: t(locale, "error.internal"),
    retryable: true,
  };
}

/**
 * Posts messages in order. One the platform refuses (a rendering bug, say) is replaced by its plain
 * form, and failing that by a log line, so the thread never just goes quiet over one message.
 */
export async function postAll<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  messages: readonly M[],
): Promise<void> {
  for (const message of messages) {
    try {
      await sink.post(message);
    } catch {
      const plain = ctx.renderer.plain(message);
      if (!plain) continue;
      try {
        await sink.post(plain);
      } catch (error) {
        ctx.log.error({ error: ctx.errorCode(error) }, "could not post a message even as plain text");
      }
    }
  }
}

async function uploadAll<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  files: Parameters<NonNullable<ThreadSink<M>["upload"]>>[0],
  locale: Locale,
): Promise<void> {
  try {
    if (!sink.upload) throw new Error("unsupported");
    await sink.upload(files);
  } catch (error) {
    const note = ctx.renderer.notice({ kind: "upload_failed", error: ctx.errorCode(error) }, locale);
    await sink.post(note).catch(() => undefined);
  }
}

/** Shows `message` to `user` alone where the platform can, else in the thread; a refusal is already logged. */
export async function postPrivately<M>(sink: ThreadSink<M>, user: string, message: M): Promise<void> {
  const send = sink.postPrivately ? sink.postPrivately(user, message) : sink.post(message);
  await Promise.resolve(send).catch(() => undefined);
}
