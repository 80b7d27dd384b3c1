import type { App } from "@slack/bolt";
import { acceptMessage, splitFormatPrefix } from "../../delivery/index.js";
import type { SlackContext } from "./context.js";
import { CLAIM_TTL_SECONDS, messageClaimKey } from "./dedupe.js";
import { classifyMessageEvent } from "./inbound.js";
import { slackThreadKey } from "./thread-key.js";

/**
 * Mentions, DMs and replies in threads that hold a conversation: classified, then handed to the delivery
 * layer's intake, which keeps the request as a job before the event is acknowledged.
 */
export function listenForMessages(app: App, ctx: SlackContext): void {
  const onEvent = ({ body }: { body: unknown }) => takeMessage(ctx, body);
  app.event("app_mention", onEvent);
  app.event("message", onEvent);
}

/**
 * One message event through the intake; resolves once its request is kept (or ignored, or refused).
 * `formatPrefix`: the message may choose its output format (`report: ...`), as in assistant threads.
 */
export async function takeMessage(
  ctx: SlackContext,
  body: unknown,
  options: { formatPrefix?: boolean } = {},
): Promise<void> {
  const { delivery } = ctx;
  const inbound = classifyMessageEvent(body, ctx.botUserId());
  if (inbound.kind === "ignore") {
    delivery.log.trace({ reason: inbound.reason }, "Slack event ignored");
    return;
  }
  const { thread } = inbound;
  const { format, text } = options.formatPrefix
    ? splitFormatPrefix(inbound.text)
    : { format: undefined, text: inbound.text };
  // The event is acknowledged once its request is kept as a job (see ackEventsOnceKept); the rest of
  // the intake (a "queued" card, a refusal) goes on after the ack.
  let kept!: () => void;
  const keptOrDone = new Promise<void>((resolve) => {
    kept = resolve;
  });
  const intake = delivery.tasks.track("message", () =>
    acceptMessage(delivery, ctx.outbox.thread(thread), ctx.files, {
      threadKey: slackThreadKey(thread),
      claimKey: messageClaimKey(thread, inbound.ts),
      claimTtlSeconds: CLAIM_TTL_SECONDS,
      threadReply: inbound.trigger === "thread_reply",
      user: inbound.user,
      text,
      format,
      files: inbound.files,
      logFields: {
        eventId: inbound.eventId,
        ts: inbound.ts,
        channel: thread.channel,
        trigger: inbound.trigger,
      },
      onKept: kept,
    }),
  );
  await Promise.race([keptOrDone, intake]);
}
