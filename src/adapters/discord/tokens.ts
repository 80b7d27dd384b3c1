import type { Webhook } from "./outbox.js";

/**
 * Messages that belong to a live interaction (a command's reply, a clicked card) and the token that may
 * edit them through the webhook routes. A token lives 15 minutes; past that, or on another process,
 * the message is edited as the bot's own channel message, so a run that outlives its token carries on.
 */
export interface LiveWebhook extends Webhook {
  /** How the webhook routes name the message (`@original` for the interaction's response). */
  ref: string;
  expiresAt: number;
}

/** Discord's 15 minutes, less a margin for a call already under way. */
export const INTERACTION_TOKEN_TTL_MS = 14 * 60_000;

/** A bound on what is kept: at most this many messages (the oldest go first). */
const MAX_KEPT = 10_000;

export class InteractionTokens {
  private readonly byMessage = new Map<string, LiveWebhook>();

  constructor(private readonly now: () => number = Date.now) {}

  remember(messageId: string, webhook: LiveWebhook): void {
    this.byMessage.delete(messageId);
    this.byMessage.set(messageId, webhook);
    this.sweep();
  }

  /** The message's live webhook, or undefined (none, or expired). */
  live(messageId: string): LiveWebhook | undefined {
    const webhook = this.byMessage.get(messageId);
    if (!webhook) return undefined;
    if (webhook.expiresAt > this.now()) return webhook;
    this.byMessage.delete(messageId);
    return undefined;
  }

  forget(messageId: string): void {
    this.byMessage.delete(messageId);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, webhook] of this.byMessage) {
      if (webhook.expiresAt > now && this.byMessage.size <= MAX_KEPT) break;
      this.byMessage.delete(id);
    }
  }
}
