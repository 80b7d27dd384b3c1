import type { Delivery } from "./context.js";
import { postPrivately } from "./posting.js";
import { deliverRun } from "./run-delivery.js";
import type { ThreadSink } from "./sink.js";
import { drain, streamOf } from "./streams.js";

/** Refusals of a click that change nothing, told to the person clicking alone. */
const REFUSALS = new Set(["retry_unavailable", "retry_not_allowed"]);

/**
 * A retry button carries the service's retry id. Only the request's requester or an approver may use it
 * (the service's rule; the approver groups are checked here, as for approvals). The service claims it
 * atomically in the database, so double clicks, redeliveries and clicks on two replicas start one run;
 * every other click is told, only to the person clicking, that the retry is used, expired or not theirs.
 */
export async function retry<M>(
  ctx: Delivery<M>,
  click: { sink: ThreadSink<M>; threadKey: string; user: string; memberOf?: readonly string[] | undefined },
  retryId: string,
): Promise<void> {
  const approvedVia = await ctx.approvers.groupOf(click.user, click.memberOf);
  // The service cannot know the clicker's language; their last message here tells it.
  const locale = ctx.userLocales.get(click.user);
  const input = { by: click.user, approvedVia, threadKey: click.threadKey, locale };
  const iterator = ctx.conversations.retry(retryId, input, { follow: false })[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return;
  const event = head.value;
  if (event.type === "error" && REFUSALS.has(event.kind)) {
    await postPrivately(click.sink, click.user, ctx.renderer.error(event, event.locale));
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
