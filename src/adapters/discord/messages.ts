import { describeError } from "../../conversations/index.js";
import { acceptMessage } from "../../delivery/index.js";
import { detectLocale } from "../../vocabulary/index.js";
import { type DiscordContext, THREAD_PERMISSIONS } from "./context.js";
import { CLAIM_TTL_SECONDS, messageClaimKey } from "./dedupe.js";
import { classifyMessage, type InboundRequest, isIgnored, readMessage } from "./inbound.js";
import { discordErrorCode, isDiscordError, NO_PERMISSION, THREAD_EXISTS } from "./outbox.js";
import { DiscordThreadSink, MessageThreadSink } from "./sink.js";
import { type DiscordThread, discordThreadKey } from "./thread-key.js";

/**
 * A gateway MESSAGE_CREATE: read, placed (text channel, thread, DM), classified, a thread started on a
 * channel mention, then handed to the delivery layer's intake, which claims the message id with its
 * job (a RESUME replays messages) and checks that a plain thread message continues a conversation.
 */
export function onMessageCreate(ctx: DiscordContext, data: unknown): void {
  const { delivery } = ctx;
  const message = readMessage(data, ctx.botUserId());
  if (isIgnored(message)) {
    delivery.log.trace({ reason: message.reason }, "Discord message ignored");
    return;
  }
  delivery.tasks.run("message", async () => {
    const place = message.guild_id ? await ctx.places.of(message.channel_id) : ({ kind: "dm" } as const);
    if (!place) return;
    const inbound = classifyMessage(message, place, ctx.botUserId());
    if (isIgnored(inbound)) {
      delivery.log.trace({ reason: inbound.reason, message: message.id }, "Discord message ignored");
      return;
    }
    const thread = inbound.startThread ? await startThreadOn(ctx, inbound) : inbound.thread;
    if (!thread) return;
    // What is meant for the poster alone is a reply to their message, where it is in the thread.
    const sink =
      message.channel_id === thread.thread
        ? new MessageThreadSink(ctx.outbox, ctx.tokens, thread, inbound.messageId)
        : new DiscordThreadSink(ctx.outbox, ctx.tokens, thread);
    await acceptMessage(delivery, sink, ctx.files, {
      threadKey: discordThreadKey(thread),
      claimKey: messageClaimKey(inbound.messageId),
      claimTtlSeconds: CLAIM_TTL_SECONDS,
      threadReply: inbound.trigger === "thread_reply",
      user: inbound.user,
      text: inbound.text,
      files: inbound.files,
      logFields: { message: inbound.messageId, channel: message.channel_id, trigger: inbound.trigger },
    });
  });
}

/**
 * The thread a channel mention is answered in, started on the mention (a replayed mention finds it
 * there already). Where the bot may not start one, the channel is told, as a reply to the mention,
 * which permissions are missing, and nothing runs: no conversation without its thread, and no DMs.
 */
async function startThreadOn(
  ctx: DiscordContext,
  inbound: InboundRequest,
): Promise<DiscordThread | undefined> {
  const { channel, thread: messageId } = inbound.thread;
  const name = inbound.startThread?.name ?? "Octostrator";
  try {
    const id = await ctx.outbox.startThread(channel, messageId, name);
    return { ...inbound.thread, thread: id };
  } catch (error) {
    if (isDiscordError(error, THREAD_EXISTS)) return inbound.thread;
    const { renderer, log } = ctx.delivery;
    const locale = detectLocale(inbound.text);
    const forbidden = isDiscordError(error, ...NO_PERMISSION);
    log.warn(
      { channel, message: messageId, error: discordErrorCode(error) },
      forbidden
        ? "cannot start a thread on a Discord mention: permissions missing; told the channel"
        : "could not start a thread on a Discord mention",
    );
    const notice = forbidden
      ? renderer.notice({ kind: "missing_permissions", permissions: THREAD_PERMISSIONS }, locale)
      : renderer.notice({ kind: "failed", message: describeError(error, locale).message }, locale);
    await ctx.outbox.reply(channel, messageId, notice).catch(() => undefined);
    return undefined;
  }
}
