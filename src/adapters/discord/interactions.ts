import type { APIInteraction, APIInteractionResponse } from "discord.js";
import { secondsSince } from "../../metrics/index.js";
import { onCommand } from "./commands.js";
import { onComponent, onModalSubmit } from "./components.js";
import { type DiscordContext, refusal } from "./context.js";
import {
  INTERACTION_TYPES,
  localeOfDiscord,
  type ParsedInteraction,
  parseInteraction,
} from "./interaction-parsing.js";
import { EPHEMERAL, requestOf } from "./outbox.js";
import { InteractionReply, type InteractionResponder } from "./reply.js";

export type { InteractionResponder } from "./reply.js";

/**
 * Interactions, whichever way they arrive: the gateway's INTERACTION_CREATE (first response through
 * REST) or the HTTP interactions endpoint (first response as the HTTP body). Both hand the raw payload
 * and a responder to the same `handle`.
 */
export interface InteractionIntake {
  /**
   * Resolves once the interaction's first response was given through `respond` (called exactly once,
   * within Discord's 3 s: a deferral is sent for work that takes longer); the rest of the work goes on
   * in the adapter's background tasks. A payload that is no interaction gets no response: `respond` is
   * not called at all.
   */
  handle(interaction: APIInteraction, respond: InteractionResponder): Promise<void>;
}

/**
 * The intake, telling `onAck` how long each interaction took from its arrival to its first response
 * (Discord's acknowledgement, due within 3 s).
 */
export function timedIntake(intake: InteractionIntake, onAck: (seconds: number) => void): InteractionIntake {
  return {
    handle: (interaction, respond) => {
      const arrived = performance.now();
      let told = false;
      return intake.handle(interaction, async (response) => {
        await respond(response);
        if (!told) onAck(secondsSince(arrived));
        told = true;
      });
    },
  };
}

export function createInteractionIntake(ctx: DiscordContext): InteractionIntake {
  const { delivery } = ctx;
  return {
    handle: async (raw, respond) => {
      const ix = parseInteraction(raw);
      if (!ix) {
        delivery.log.warn("Discord interaction unreadable; not answered");
        return;
      }
      if (ix.type === INTERACTION_TYPES.ping) {
        await respond({ type: 1 });
        return;
      }
      const webhook = {
        applicationId: ix.applicationId,
        token: ix.token,
        ref: "@original",
        expiresAt: Date.now() + ctx.tokenTtlMs,
      };
      const reply = new InteractionReply(ctx.outbox, ctx.tokens, webhook, respond, delivery.log);
      const work = delivery.tasks.track(`interaction ${ix.type}`, () => route(ctx, ix, reply));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ctx.firstResponseMs);
        timer.unref?.();
      });
      await Promise.race([reply.settled, work, late]);
      clearTimeout(timer);
      if (!reply.responded) {
        delivery.log.warn(
          { interaction: ix.id, type: ix.type },
          "Discord interaction had no response in time; deferred",
        );
        await reply.respondFirst(fallbackResponse(ctx, ix));
      }
      await reply.settled;
    },
  };
}

function route(ctx: DiscordContext, ix: ParsedInteraction, reply: InteractionReply): Promise<void> {
  switch (ix.type) {
    case INTERACTION_TYPES.command:
      return onCommand(ctx, ix, reply);
    case INTERACTION_TYPES.component:
      return onComponent(ctx, ix, reply);
    case INTERACTION_TYPES.modal:
      return onModalSubmit(ctx, ix, reply);
    case INTERACTION_TYPES.autocomplete:
      // `/octo` has no autocompleted options; an empty list keeps the client from waiting.
      return reply.respondFirst({ type: 8, data: { choices: [] } }).then(() => undefined);
    default:
      ctx.delivery.log.warn({ interaction: ix.id, type: ix.type }, "Discord interaction of an unknown type");
      return Promise.resolve();
  }
}

/**
 * What is sent when the work gave no first response in time (a slow look-up, a failure): clicks and
 * forms are acknowledged silently, a command gets a polite ephemeral message.
 */
function fallbackResponse(ctx: DiscordContext, ix: ParsedInteraction): APIInteractionResponse {
  if (ix.type === INTERACTION_TYPES.component || ix.type === INTERACTION_TYPES.modal) return { type: 6 };
  const message = refusal(ctx, "internal", { threadKey: "discord:-", locale: localeOfDiscord(ix.locale) });
  return { type: 4, data: { ...requestOf(message).body, flags: EPHEMERAL } } as APIInteractionResponse;
}
