import {
  type APIInteraction,
  type APIInteractionResponse,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
} from "discord.js";
import { z } from "zod";
import { t } from "../../i18n/index.js";
import type { Logger } from "../../log.js";
import type { HttpRoutes, MountedRoute, RawRequest, RawRouteHandler } from "../http/index.js";
import type { InteractionIntake, InteractionResponder } from "./interaction-contract.js";
import { deferralFor, LateResponses } from "./late-response.js";
import {
  checkSignature,
  DEFAULT_MAX_SKEW_SECONDS,
  ed25519PublicKey,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "./signature.js";

/** The Interactions Endpoint URL's path (Developer Portal > General Information). */
export const INTERACTIONS_PATH = "/discord/interactions";
/** Discord waits 3 s for the first response; this leaves room for the network and a loaded process. */
const DEFER_AFTER_MS = 2_500;

export interface InteractionsEndpointOptions {
  /** DISCORD_PUBLIC_KEY: the application's Ed25519 public key, 64 hex digits. */
  publicKey: string;
  intake: InteractionIntake;
  logger: Logger;
  /** DISCORD_API_URL, for late first responses through the interaction's webhook. */
  apiUrl: string | undefined;
  deferAfterMs?: number;
  maxSkewSeconds?: number;
}

/** Only what the endpoint itself reads; the rest is the intake's, typed by discord.js. */
const InteractionEnvelope = z.looseObject({
  id: z.string().min(1),
  application_id: z.string().min(1),
  type: z.number().int(),
  token: z.string().min(1),
});

/** `POST /discord/interactions` on the process's HTTP server (mounted when DISCORD_PUBLIC_KEY is set). */
export function mountInteractionsEndpoint(
  routes: HttpRoutes,
  options: InteractionsEndpointOptions,
): MountedRoute {
  return routes.route("POST", INTERACTIONS_PATH, interactionsHandler(options));
}

/**
 * Verifies the Ed25519 signature over the raw body before reading anything in it (401 otherwise, with a
 * log line), answers PING itself, and hands every other interaction to the intake, whose first
 * response becomes the HTTP response, or a deferral if it takes longer than `deferAfterMs`.
 */
export function interactionsHandler(options: InteractionsEndpointOptions): RawRouteHandler {
  const key = ed25519PublicKey(options.publicKey);
  const log = options.logger.child({ component: "discord-interactions" });
  const late = new LateResponses(options.apiUrl, log);
  const maxSkewSeconds = options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;

  return async (request: RawRequest) => {
    const verdict = checkSignature(
      key,
      {
        signature: request.headers.get(SIGNATURE_HEADER),
        timestamp: request.headers.get(TIMESTAMP_HEADER),
        body: request.body,
      },
      { nowMs: Date.now(), maxSkewSeconds },
    );
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason, bytes: request.body.length }, "Discord interaction refused");
      return Response.json({ error: "invalid_request_signature" }, { status: 401 });
    }
    const interaction = parseInteraction(request.body);
    if (!interaction) {
      log.warn({ bytes: request.body.length }, "Discord interaction signed but not an interaction");
      return Response.json({ error: "bad_request" }, { status: 400 });
    }
    if (interaction.type === InteractionType.Ping) {
      return Response.json({ type: InteractionResponseType.Pong });
    }
    const response = await firstResponse(interaction, { intake: options.intake, late, log, deferAfterMs });
    // The intake answers nothing it cannot read: say so now rather than defer an unanswerable request.
    if (!response) return Response.json({ error: "bad_request" }, { status: 400 });
    return Response.json(response);
  };
}

function parseInteraction(body: Buffer): APIInteraction | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  // Discord's own payload once signed: the envelope is checked, the rest is typed as Discord documents it.
  return InteractionEnvelope.safeParse(json).success ? (json as APIInteraction) : undefined;
}

interface FirstResponseDeps {
  intake: InteractionIntake;
  late: LateResponses;
  log: Logger;
  deferAfterMs: number;
}

/**
 * Resolves with the HTTP response body: the intake's first response, or the endpoint's deferral at the
 * deadline, or a polite error if the intake fails before answering; undefined when the intake finished
 * without answering (an interaction it could not read).
 */
function firstResponse(
  interaction: APIInteraction,
  deps: FirstResponseDeps,
): Promise<APIInteractionResponse | undefined> {
  const { intake, late, log } = deps;
  const ids = { interaction: interaction.id, type: interaction.type };
  return new Promise<APIInteractionResponse | undefined>((resolve) => {
    let answered: "intake" | "endpoint" | "nobody" | undefined;
    let deferral: APIInteractionResponse | undefined;
    let lateUsed = false;
    const answer = (by: "intake" | "endpoint", response: APIInteractionResponse) => {
      answered = by;
      clearTimeout(deadline);
      resolve(response);
    };

    const respond: InteractionResponder = async (response) => {
      if (!answered) return answer("intake", response);
      if (answered === "intake" || lateUsed || !deferral) {
        throw new Error("this interaction already has its first response; send follow-up messages instead");
      }
      lateUsed = true;
      await late.deliver(interaction, deferral, response);
    };

    const deadline = setTimeout(() => {
      deferral = deferralFor(interaction);
      log.warn(
        { ...ids, afterMs: deps.deferAfterMs, deferredType: deferral.type },
        "Discord intake slow to answer: the endpoint deferred the interaction for it",
      );
      answer("endpoint", deferral);
    }, deps.deferAfterMs);

    intake.handle(interaction, respond).then(
      () => {
        if (answered) return;
        answered = "nobody";
        clearTimeout(deadline);
        resolve(undefined);
      },
      (error: unknown) => {
        log.error({ ...ids, err: error }, "Discord interaction intake failed");
        if (!answered) answer("endpoint", failureResponse(interaction));
      },
    );
  });
}

/** What the person sees when the intake broke before answering: an ephemeral apology, never silence. */
function failureResponse(interaction: APIInteraction): APIInteractionResponse {
  if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
    return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
  }
  const locale = "locale" in interaction && interaction.locale?.startsWith("ko") ? "ko" : "en";
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: {
      content: t(locale, "error.internal"),
      flags: MessageFlags.Ephemeral,
      allowed_mentions: { parse: [] },
    },
  };
}
