import type { Attachment, EventStream } from "../../conversations/types.js";
import { detectLocale, type OutputFormat } from "../../vocabulary/index.js";
import type { SlackContext } from "./context.js";
import { deliverRun } from "./run-delivery.js";
import { type SlackThread, slackThreadKey } from "./thread-key.js";

/** Starting a conversation turn from Slack: one call on the service, its events delivered to the thread. */
export interface RunRequest {
  thread: SlackThread;
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

export async function runRequest(ctx: SlackContext, request: RunRequest): Promise<void> {
  const stream: EventStream = ctx.conversations.send({
    platform: "slack",
    threadKey: slackThreadKey(request.thread),
    user: request.user,
    text: request.text,
    format: request.format,
    ...(request.attachments && request.attachments.length > 0 ? { attachments: request.attachments } : {}),
  });
  await deliverRun(ctx, stream, {
    thread: request.thread,
    user: request.user,
    locale: detectLocale(request.text),
    cardAtOnce: !request.quiet,
    quiet: request.quiet ?? false,
  });
}
