import {
  type APIInteraction,
  type APIInteractionResponse,
  type APIInteractionResponseCallbackData,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  REST,
  Routes,
} from "discord.js";
import type { Logger } from "../../log.js";

/**
 * When the intake is too slow for Discord's 3 s, the HTTP endpoint answers a deferral in its place; the
 * intake's own first response, when it comes, can then no longer be an interaction callback (Discord
 * refuses a second one: "already acknowledged"). It is carried out through the interaction's webhook,
 * which the token authorizes for 15 minutes, so it shows as the intake meant:
 *
 * | deferred with            | late response            | done as                                         |
 * |--------------------------|--------------------------|-------------------------------------------------|
 * | 5 (thinking…, public)    | 4 message                | edit `@original` (the thinking message)         |
 * | 5                        | 4 message, ephemeral     | delete `@original`, ephemeral follow-up         |
 * | 6 (component, modal)     | 4 message                | follow-up (ephemeral if flagged)                |
 * | 5 or 6                   | 7 update message         | edit `@original` (the component's message)      |
 * | 5 or 6                   | 5 or 6 deferral          | nothing: already deferred                       |
 * | any                      | 8 autocomplete, 9 modal… | rejected: only a first callback can do that     |
 */

/** The answer that buys the intake 15 minutes, for each kind of interaction. */
export function deferralFor(interaction: APIInteraction): APIInteractionResponse {
  switch (interaction.type) {
    case InteractionType.ApplicationCommandAutocomplete:
      // Autocomplete cannot be deferred: no suggestions beat an error.
      return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
    case InteractionType.MessageComponent:
      return { type: InteractionResponseType.DeferredMessageUpdate };
    case InteractionType.ModalSubmit:
      // A modal opened from a button may leave its message as it is; one opened by a command may not.
      return interaction.message
        ? { type: InteractionResponseType.DeferredMessageUpdate }
        : { type: InteractionResponseType.DeferredChannelMessageWithSource };
    default:
      return { type: InteractionResponseType.DeferredChannelMessageWithSource };
  }
}

export class LateInteractionResponseError extends Error {
  readonly code = "discord_late_response_refused";
  constructor(responseType: number) {
    super(
      `interaction response type ${responseType} came after the endpoint had deferred the interaction; only a first response can carry it (respond within 2.5 s)`,
    );
    this.name = "LateInteractionResponseError";
  }
}

export class LateResponses {
  private rest: REST | undefined;

  /** `apiUrl`: DISCORD_API_URL (discord.js's REST default otherwise). */
  constructor(
    private readonly apiUrl: string | undefined,
    private readonly log: Logger,
  ) {}

  async deliver(
    interaction: APIInteraction,
    deferral: APIInteractionResponse,
    response: APIInteractionResponse,
  ): Promise<void> {
    const original = Routes.webhookMessage(interaction.application_id, interaction.token, "@original");
    const followUp = Routes.webhook(interaction.application_id, interaction.token);
    const deferredType = deferral.type;
    if (
      deferredType !== InteractionResponseType.DeferredChannelMessageWithSource &&
      deferredType !== InteractionResponseType.DeferredMessageUpdate
    ) {
      throw new LateInteractionResponseError(response.type);
    }
    const how = { interaction: interaction.id, deferredType, responseType: response.type };
    switch (response.type) {
      case InteractionResponseType.DeferredChannelMessageWithSource:
      case InteractionResponseType.DeferredMessageUpdate:
        this.log.debug(how, "Discord interaction: late deferral, already deferred");
        return;
      case InteractionResponseType.UpdateMessage:
        await this.client().patch(original, { body: editOf(response.data ?? {}), auth: false });
        break;
      case InteractionResponseType.ChannelMessageWithSource: {
        const ephemeral = ((Number(response.data.flags ?? 0) & MessageFlags.Ephemeral) as number) !== 0;
        if (deferredType === InteractionResponseType.DeferredChannelMessageWithSource && !ephemeral) {
          await this.client().patch(original, { body: editOf(response.data), auth: false });
        } else {
          // A public "thinking…" cannot turn ephemeral: it goes, and the answer comes only to the person.
          if (deferredType === InteractionResponseType.DeferredChannelMessageWithSource) {
            await this.client().delete(original, { auth: false });
          }
          await this.client().post(followUp, { body: response.data, auth: false });
        }
        break;
      }
      default:
        throw new LateInteractionResponseError(response.type);
    }
    this.log.info(how, "Discord interaction: late first response carried out through its webhook");
  }

  private client(): REST {
    this.rest ??= new REST({ version: "10", ...(this.apiUrl ? { api: this.apiUrl } : {}) });
    return this.rest;
  }
}

/** A message edit takes the message's fields; `tts` and `flags` belong to its creation. */
function editOf(data: APIInteractionResponseCallbackData): Record<string, unknown> {
  const { tts: _tts, flags: _flags, ...edit } = data;
  return edit;
}
