import { errorEvent } from "../conversations/index.js";
import { OctoError } from "../vocabulary/index.js";
import type { Delivery } from "./context.js";
import { postPrivately } from "./posting.js";
import { deliverRun } from "./run-delivery.js";
import type { ThreadSink } from "./sink.js";
import { drain, streamOf } from "./streams.js";

/**
 * A retry button carries the service's retry id. The service claims it atomically in the database, so
 * double clicks, redeliveries and clicks on two replicas start one run; every other click is told, only
 * to the person clicking, that the retry is used or expired. The request is sent again as its original
 * requester, whoever clicks.
 */
export async function retry<M>(
  ctx: Delivery<M>,
  click: { sink: ThreadSink<M>; threadKey: string; user: string },
  retryId: string,
): Promise<void> {
  const iterator = ctx.conversations
    .retry(retryId, { by: click.user, threadKey: click.threadKey }, { follow: false })
    [Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return;
  const event = head.value;
  if (event.type === "error" && event.kind === "retry_unavailable") {
    // The service cannot know the clicker's language; their last message here tells it.
    const locale = ctx.userLocales.get(click.user) ?? event.locale;
    const refused = errorEvent(new OctoError("retry_unavailable", retryId), {
      threadKey: click.threadKey,
      locale,
    });
    await postPrivately(click.sink, click.user, ctx.renderer.error(refused, locale));
    await drain(iterator);
    return;
  }
  const stream = streamOf(iterator, event);
  await deliverRun(ctx, click.sink, stream, {
    threadKey: click.threadKey,
    user: click.user,
    locale: event.locale,
    cardAtOnce: false,
  });
}
