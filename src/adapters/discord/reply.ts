import type { APIInteractionResponse, APIMessage } from "discord.js";
import type { Logger } from "../../log.js";
import type { discord } from "../../renderers/index.js";
import { type DiscordOutbox, discordErrorCode, EPHEMERAL, requestOf, withoutPings } from "./outbox.js";
import type { InteractionTokens, LiveWebhook } from "./tokens.js";

type DiscordMessage = discord.DiscordMessage;

/** The interaction's first response: gateway -> REST callback; HTTP -> the HTTP response body. */
export type InteractionResponder = (response: APIInteractionResponse) => Promise<void>;

/**
 * What one interaction lets the bot say: exactly one first response (within Discord's 3 s), then, with
 * the interaction's token for 15 minutes, edits of that response and follow-ups, ephemeral ones
 * included. Failures are logged with Discord's code (never the token-bearing URL).
 */
export class InteractionReply {
  private first: Promise<boolean> | undefined;
  private resolveSettled!: () => void;
  /** Resolves once the first response was given (or failed). */
  readonly settled = new Promise<void>((resolve) => {
    this.resolveSettled = resolve;
  });

  constructor(
    private readonly outbox: DiscordOutbox,
    private readonly tokens: InteractionTokens,
    readonly webhook: LiveWebhook,
    private readonly respond: InteractionResponder,
    private readonly log: Logger,
  ) {}

  get responded(): boolean {
    return this.first !== undefined;
  }

  /** Sends the first response; false when one was already sent (or sending it failed). */
  respondFirst(response: APIInteractionResponse): Promise<boolean> {
    if (this.first) return this.first.then(() => false);
    this.first = this.respond(withoutPings(response)).then(
      () => true,
      (error: unknown) => {
        this.log.warn(
          { error: discordErrorCode(error), type: response.type },
          "Discord interaction response failed",
        );
        return false;
      },
    );
    void this.first.finally(this.resolveSettled);
    return this.first;
  }

  /** Shown to the person alone: as the first response while there is none, else as a follow-up. */
  async ephemeral(message: DiscordMessage): Promise<void> {
    if (!this.responded) {
      const data = { ...requestOf(message).body, flags: EPHEMERAL };
      if (await this.respondFirst({ type: 4, data } as APIInteractionResponse)) return;
    }
    await this.outbox.followUp(this.webhook, message, true);
  }

  /** Edits the response (after a deferral, the message Discord shows as "thinking"). */
  async editOriginal(message: DiscordMessage): Promise<APIMessage> {
    const edited = await this.outbox.editWebhookMessage(this.webhook, "@original", message);
    this.tokens.remember(edited.id, { ...this.webhook, ref: "@original" });
    return edited;
  }

  deleteOriginal(): Promise<void> {
    return this.outbox.deleteOriginal(this.webhook);
  }

  followUp(message: DiscordMessage, ephemeral: boolean): Promise<string> {
    return this.outbox.followUp(this.webhook, message, ephemeral);
  }

  /** Lets the card this interaction came from be edited through its token while it lives. */
  ownMessage(messageId: string): void {
    this.tokens.remember(messageId, { ...this.webhook, ref: "@original" });
  }
}
