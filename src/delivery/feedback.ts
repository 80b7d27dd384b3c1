import { errorEvent } from "../conversations/index.js";
import { OctoError, parseFeedbackValue } from "../vocabulary/index.js";
import type { Delivery } from "./context.js";
import { postPrivately } from "./posting.js";
import type { ThreadSink } from "./sink.js";

/**
 * A click on an answer's 👍 / 👎 (the button's value names the rating and the run): recorded by the
 * service, one rating per person and answer, and acknowledged to the person alone, in their language.
 */
export async function rateAnswer<M>(
  ctx: Delivery<M>,
  click: { sink: ThreadSink<M>; threadKey: string; user: string },
  value: string,
): Promise<void> {
  const locale =
    ctx.userLocales.get(click.user) ??
    (await ctx.conversations.localeOf(click.threadKey).catch(() => "en" as const));
  const refuse = (error: unknown) =>
    postPrivately(
      click.sink,
      click.user,
      ctx.renderer.error(errorEvent(error, { threadKey: click.threadKey, locale }), locale),
    );
  const rated = parseFeedbackValue(value);
  if (!rated) {
    ctx.log.warn({ threadKey: click.threadKey, user: click.user }, "feedback click with an unknown value");
    return refuse(new OctoError("feedback_unavailable", "unknown feedback value"));
  }
  try {
    const outcome = await ctx.conversations.rateRun(rated.runId, {
      rating: rated.rating,
      by: click.user,
      threadKey: click.threadKey,
      platform: ctx.platform,
    });
    const notice = { kind: "feedback", rating: outcome.rating, previous: outcome.previous } as const;
    await postPrivately(click.sink, click.user, ctx.renderer.notice(notice, locale));
  } catch (error) {
    ctx.log.warn({ err: error, threadKey: click.threadKey, runId: rated.runId }, "rating refused");
    await refuse(error);
  }
}
