import type { ThreadSink } from "../../delivery/index.js";
import type { discord } from "../../renderers/index.js";
import { type DiscordOutbox, isDiscordError, TOKEN_GONE } from "./outbox.js";
import type { DiscordThread } from "./thread-key.js";
import type { InteractionTokens } from "./tokens.js";

type DiscordMessage = discord.DiscordMessage;

/**
 * One Discord thread as the delivery layer writes to it. Posts go into the thread channel, each answer
 * message with its files in the same multipart request (so an embed shows its picture). Edits go
 * through the interaction's webhook while a live one owns the message, else as the bot's channel
 * message; the message a thread was started on (a command's reply, which shows the run's progress)
 * lives in the parent channel and shares the thread's id.
 */
export class DiscordThreadSink implements ThreadSink<DiscordMessage> {
  constructor(
    protected readonly outbox: DiscordOutbox,
    protected readonly tokens: InteractionTokens,
    readonly thread: DiscordThread,
  ) {}

  post(message: DiscordMessage): Promise<string> {
    return this.outbox.post(this.thread.thread, message);
  }

  postWithFiles(message: DiscordMessage, files: Parameters<DiscordOutbox["post"]>[2]): Promise<string> {
    return this.outbox.post(this.thread.thread, message, files);
  }

  async update(messageId: string, message: DiscordMessage): Promise<void> {
    const webhook = this.tokens.live(messageId);
    if (webhook) {
      try {
        await this.outbox.editWebhookMessage(webhook, webhook.ref, message);
        return;
      } catch (error) {
        if (!isDiscordError(error, ...TOKEN_GONE)) throw error;
        // The token died early (the interaction was never acknowledged ...): the channel route still works.
        this.tokens.forget(messageId);
      }
    }
    await this.outbox.edit(this.channelOf(messageId), messageId, message);
  }

  private channelOf(messageId: string): string {
    const { channel, thread } = this.thread;
    return messageId === thread && channel !== thread ? channel : thread;
  }
}

/**
 * A thread written to because of a person's message: what is meant for them alone (a refusal in a
 * busy thread) becomes a reply to their message, as Discord has nothing private outside interactions.
 */
export class MessageThreadSink extends DiscordThreadSink {
  constructor(
    outbox: DiscordOutbox,
    tokens: InteractionTokens,
    thread: DiscordThread,
    private readonly messageId: string,
  ) {
    super(outbox, tokens, thread);
  }

  async postPrivately(_user: string, message: DiscordMessage): Promise<void> {
    await this.outbox.reply(this.thread.thread, this.messageId, message);
  }
}
