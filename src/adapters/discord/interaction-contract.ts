import type { APIInteraction, APIInteractionResponse } from "discord.js";

/**
 * Where an interaction goes once its transport accepted it: the gateway (INTERACTION_CREATE) or the HTTP
 * interactions endpoint. Declared here until the Discord adapter's `interactions.ts` owns it; the two
 * must stay the same shape.
 */

/**
 * The interaction's FIRST response. On the HTTP endpoint it becomes the HTTP response body; if the
 * intake has not called it within the endpoint's deadline (2.5 s), the endpoint has already answered a
 * deferral, and a later call is carried out through the interaction's webhook instead (see
 * `late-response.ts`). Calling it a second time rejects: later messages are follow-ups.
 */
export type InteractionResponder = (response: APIInteractionResponse) => Promise<void>;

export interface InteractionIntake {
  /**
   * Handles one verified interaction (never a PING). It should respond before any slow work (defer,
   * then work). It may resolve before responding; the endpoint then waits for the response until its
   * deadline.
   */
  handle(interaction: APIInteraction, respond: InteractionResponder): Promise<void>;
}
