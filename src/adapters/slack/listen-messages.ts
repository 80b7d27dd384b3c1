import type { App } from "@slack/bolt";
import type { SlackContext } from "./context.js";
import { CLAIM_TTL_SECONDS, messageClaimKey } from "./dedupe.js";
import { classifyMessageEvent } from "./inbound.js";
import { runRequest } from "./runs.js";

/**
 * Mentions in channels and messages in DMs. Bolt has acknowledged the event before a listener runs; the
 * listener only classifies it and hands the rest (dedupe claim, the run) to the background.
 */
export function listenForMessages(app: App, ctx: SlackContext): void {
  const onEvent = async ({ body }: { body: unknown }) => {
    const inbound = classifyMessageEvent(body, ctx.botUserId());
    if (inbound.kind === "ignore") {
      ctx.log.trace({ reason: inbound.reason }, "Slack event ignored");
      return;
    }
    ctx.tasks.run("message", async () => {
      const claimed = await ctx.conversations
        .claimEvent(messageClaimKey(inbound.thread, inbound.ts), CLAIM_TTL_SECONDS)
        .catch((error: unknown) => {
          // Without the store the run fails too, with a message the person sees; better than silence.
          ctx.log.error({ err: error, eventId: inbound.eventId }, "could not record a Slack event");
          return true;
        });
      if (!claimed) {
        ctx.log.info({ eventId: inbound.eventId, ts: inbound.ts }, "duplicate Slack delivery ignored");
        return;
      }
      ctx.log.info(
        { eventId: inbound.eventId, channel: inbound.thread.channel, dm: inbound.isDm, user: inbound.user },
        "Slack request received",
      );
      await runRequest(ctx, {
        thread: inbound.thread,
        user: inbound.user,
        text: inbound.text,
        format: undefined,
      });
    });
  };
  app.event("app_mention", onEvent);
  app.event("message", onEvent);
}
