import type { App } from "@slack/bolt";
import type { SlackContext } from "./context.js";
import { CLAIM_TTL_SECONDS, messageClaimKey } from "./dedupe.js";
import { classifyMessageEvent, type InboundRequest } from "./inbound.js";
import { runRequest } from "./runs.js";
import { slackThreadKey } from "./thread-key.js";

/**
 * Mentions, DMs and replies in threads that hold a conversation. Bolt has acknowledged the event before
 * a listener runs; the listener only classifies it and hands the rest (the conversation check, the
 * dedupe claim, attachments, the run) to the background.
 */
export function listenForMessages(app: App, ctx: SlackContext): void {
  const onEvent = async ({ body }: { body: unknown }) => {
    const inbound = classifyMessageEvent(body, ctx.botUserId());
    if (inbound.kind === "ignore") {
      ctx.log.trace({ reason: inbound.reason }, "Slack event ignored");
      return;
    }
    ctx.tasks.run("message", async () => {
      // Checked before claiming: people talking in threads the bot has no part in cost one read, no write.
      if (inbound.trigger === "thread_reply" && !(await continuesConversation(ctx, inbound))) return;
      const claimed = await ctx.ledger
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
        {
          eventId: inbound.eventId,
          channel: inbound.thread.channel,
          trigger: inbound.trigger,
          user: inbound.user,
          files: inbound.files.length,
        },
        "Slack request received",
      );
      const attachments = inbound.files.length > 0 ? await ctx.files.read(inbound.files) : undefined;
      await runRequest(ctx, {
        thread: inbound.thread,
        user: inbound.user,
        text: inbound.text,
        format: undefined,
        attachments,
        quiet: inbound.trigger === "thread_reply",
      });
    });
  };
  app.event("app_mention", onEvent);
  app.event("message", onEvent);
}

/** A plain thread reply counts only where the bot already holds a conversation (no mention needed there). */
async function continuesConversation(ctx: SlackContext, inbound: InboundRequest): Promise<boolean> {
  const threadKey = slackThreadKey(inbound.thread);
  try {
    if (await ctx.ledger.hasConversation(threadKey)) return true;
    ctx.log.trace({ threadKey }, "Slack thread reply outside a conversation ignored");
    return false;
  } catch (error) {
    ctx.log.error(
      { err: error, eventId: inbound.eventId },
      "could not tell whether a thread holds a conversation",
    );
    return false;
  }
}
