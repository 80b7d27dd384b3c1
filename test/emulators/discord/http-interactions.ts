import { parseBody } from "./body.js";
import { INTERACTION_TYPE } from "./interaction-payloads.js";
import type { InteractionStore } from "./interactions.js";
import type { Recorder } from "./recorder.js";
import { type InteractionSigner, type SigningOptions, signedHeaders } from "./signing.js";
import type { RecordedCall } from "./types.js";

/**
 * Discord's side of an HTTP interactions endpoint: POST the interaction signed with the application's
 * key and take the response body (JSON, or multipart with files) as the interaction's initial response,
 * recorded like a callback call (`via: "http-response"`) so waits work whichever way the bot answered.
 */
export interface HttpInteractionTarget {
  signer: InteractionSigner;
  interactions: InteractionStore;
  calls: Recorder<RecordedCall>;
  timeoutMs: number;
}

export interface HttpInteractionResult {
  /** 0 when the endpoint could not be reached or did not answer within the timeout. */
  status: number;
  body: unknown;
}

export async function postInteraction(
  target: HttpInteractionTarget,
  interaction: { id: string; token: string; payload: Record<string, unknown> },
  via: { url: string } & SigningOptions,
): Promise<HttpInteractionResult> {
  const text = JSON.stringify(interaction.payload);
  let response: Response;
  try {
    response = await fetch(via.url, {
      method: "POST",
      headers: signedHeaders(target.signer, text, via),
      body: text,
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (error) {
    return { status: 0, body: { error: String(error) } };
  }
  const raw = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get("content-type") ?? "";
  const readable = type.startsWith("application/json") || type.startsWith("multipart/form-data");
  if (!response.ok || !readable) return { status: response.status, body: raw.toString("utf8") };
  const parsed = await parseBody(type, raw);
  if (interaction.payload.type !== INTERACTION_TYPE.ping) {
    const reply = target.interactions.respond(
      interaction.id,
      interaction.token,
      parsed.json,
      parsed.files,
      "http-response",
    );
    target.calls.record({
      method: "POST",
      route: "POST /interactions/:id/:token/callback",
      path: `/interactions/${interaction.id}/[token]/callback`,
      params: { id: interaction.id },
      query: {},
      body: parsed.json,
      files: parsed.files,
      auth: "none",
      status: reply.status,
      response: reply.body ?? null,
      via: "http-response",
    });
  }
  return { status: response.status, body: parsed.malformed ? raw.toString("utf8") : parsed.json };
}
