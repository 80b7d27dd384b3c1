import {
  type APIChannel,
  type APIInteractionResponse,
  type APIMessage,
  DiscordAPIError,
  HTTPError,
  type RawFile,
  type REST,
  Routes,
} from "discord.js";
import type { Logger } from "../../log.js";
import type { discord, RenderedFile } from "../../renderers/index.js";

type DiscordMessage = discord.DiscordMessage;

/**
 * Every REST call the adapter makes, in one place: each goes through the discord.js client's REST
 * manager (so it honours DISCORD_API_URL and waits out 429s in its queue), every body allows no
 * mentions whatever the message says, and each failure is logged once with Discord's error code,
 * never with its URL: webhook and callback URLs carry the interaction's token.
 */

/** Discord's JSON error code (`50013` Missing Permissions ...), `http_<status>`, or the error's own code. */
export function discordErrorCode(error: unknown): string {
  if (error instanceof DiscordAPIError) return String(error.code);
  if (error instanceof HTTPError) return `http_${error.status}`;
  if (typeof error !== "object" || error === null) return "unknown";
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") return String(code);
  const name = (error as { name?: unknown }).name;
  return name === "AbortError" || name === "TimeoutError" ? "timeout" : "unknown";
}

/**
 * What a failed call throws: the route's template and Discord's code, nothing else. discord.js's own
 * errors carry the request URL, which for webhooks and callbacks holds the interaction's token, so they
 * never leave this module (nor reach a log through whoever catches them).
 */
export class DiscordCallError extends Error {
  constructor(
    readonly route: string,
    readonly code: string,
    readonly status: number | undefined,
  ) {
    super(`Discord ${route} failed (${code})`);
    this.name = "DiscordCallError";
  }
}

export function isDiscordError(error: unknown, ...codes: number[]): boolean {
  return codes.map(String).includes(discordErrorCode(error));
}

/** Missing Access, Missing Permissions: the bot may not see, post or start threads here. */
export const NO_PERMISSION = [50001, 50013] as const;
/** "A thread has already been created for this message" (a replayed mention). */
export const THREAD_EXISTS = 160004;
/** Unknown Interaction, Invalid Webhook Token, Unknown Webhook: the interaction's token is dead. */
export const TOKEN_GONE = [10062, 50027, 10015] as const;

/** Nothing in a post ever pings: not @everyone, not roles, not users, not the replied-to author. */
const NO_PINGS = { parse: [], replied_user: false };

export interface Webhook {
  applicationId: string;
  token: string;
}

export class DiscordOutbox {
  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
  ) {}

  async channel(channelId: string): Promise<APIChannel> {
    return this.call(
      "GET /channels/:id",
      { channel: channelId },
      async () => (await this.rest.get(Routes.channel(channelId))) as APIChannel,
    );
  }

  /** Posts into a channel or thread; with `files`, the ones the message names go in the same request. */
  async post(channelId: string, message: DiscordMessage, files?: readonly RenderedFile[]): Promise<string> {
    const { body, files: raw } = requestOf(message, files);
    const posted = await this.call(
      "POST /channels/:id/messages",
      { channel: channelId },
      async () =>
        (await this.rest.post(Routes.channelMessages(channelId), {
          body,
          ...(raw ? { files: raw } : {}),
        })) as APIMessage,
    );
    return posted.id;
  }

  /** A reply to a person's message, so what it says is plainly addressed to them (no ping). */
  async reply(channelId: string, messageId: string, message: DiscordMessage): Promise<string> {
    const { body } = requestOf(message);
    const reference = { message_id: messageId, fail_if_not_exists: false };
    const posted = await this.call(
      "POST /channels/:id/messages",
      { channel: channelId, reply: true },
      async () =>
        (await this.rest.post(Routes.channelMessages(channelId), {
          body: { ...body, message_reference: reference },
        })) as APIMessage,
    );
    return posted.id;
  }

  async edit(channelId: string, messageId: string, message: DiscordMessage): Promise<void> {
    await this.call("PATCH /channels/:id/messages/:id", { channel: channelId, message: messageId }, () =>
      this.rest.patch(Routes.channelMessage(channelId, messageId), { body: requestOf(message).body }),
    );
  }

  /** Starts a public thread on a message (the thread takes the message's id); resolves with its id. */
  async startThread(channelId: string, messageId: string, name: string): Promise<string> {
    const thread = await this.call(
      "POST /channels/:id/messages/:id/threads",
      { channel: channelId, message: messageId },
      async () =>
        (await this.rest.post(Routes.threads(channelId, messageId), {
          body: { name, auto_archive_duration: 1440 },
        })) as APIChannel,
      [THREAD_EXISTS],
    );
    return thread.id;
  }

  /** An interaction's first response over the gateway path (the HTTP path answers in its response body). */
  async callback(interactionId: string, token: string, response: APIInteractionResponse): Promise<void> {
    await this.call("POST /interactions/:id/:token/callback", { interaction: interactionId }, () =>
      this.rest.post(Routes.interactionCallback(interactionId, token), { body: response, auth: false }),
    );
  }

  /** Edits a message of the interaction (`@original`: its response) with the interaction's token. */
  async editWebhookMessage(webhook: Webhook, ref: string, message: DiscordMessage): Promise<APIMessage> {
    return this.call(
      "PATCH /webhooks/:id/:token/messages/:ref",
      { ref },
      async () =>
        (await this.rest.patch(Routes.webhookMessage(webhook.applicationId, webhook.token, ref), {
          body: requestOf(message).body,
          auth: false,
        })) as APIMessage,
    );
  }

  async deleteOriginal(webhook: Webhook): Promise<void> {
    await this.call("DELETE /webhooks/:id/:token/messages/@original", {}, () =>
      this.rest.delete(Routes.webhookMessage(webhook.applicationId, webhook.token, "@original"), {
        auth: false,
      }),
    );
  }

  /** A follow-up message of the interaction; `ephemeral` shows it to the person alone. */
  async followUp(webhook: Webhook, message: DiscordMessage, ephemeral: boolean): Promise<string> {
    const { body } = requestOf(message);
    const posted = await this.call(
      "POST /webhooks/:id/:token",
      { ephemeral },
      async () =>
        (await this.rest.post(Routes.webhook(webhook.applicationId, webhook.token), {
          body: { ...body, ...(ephemeral ? { flags: EPHEMERAL } : {}) },
          auth: false,
        })) as APIMessage,
    );
    return posted.id;
  }

  private async call<T>(
    route: string,
    where: Record<string, unknown>,
    run: () => Promise<T>,
    quietCodes: readonly number[] = [],
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = discordErrorCode(error);
      if (!quietCodes.map(String).includes(code))
        this.log.warn({ route, error: code, ...where }, "Discord API call failed");
      const status =
        error instanceof DiscordAPIError || error instanceof HTTPError ? error.status : undefined;
      throw new DiscordCallError(route, code, status);
    }
  }
}

/** Message flag: only the person who used the interaction sees the message. */
export const EPHEMERAL = 64;

/** A message as a REST body (and its files): the renderer's attachment ids index the reply's files. */
export function requestOf(
  message: DiscordMessage,
  files?: readonly RenderedFile[],
): { body: Record<string, unknown>; files?: RawFile[] } {
  const body: Record<string, unknown> = {
    ...(message.content !== undefined ? { content: message.content } : {}),
    ...(message.embeds !== undefined ? { embeds: message.embeds } : {}),
    ...(message.components !== undefined ? { components: message.components } : {}),
    allowed_mentions: NO_PINGS,
  };
  const named = (message.attachments ?? []).flatMap((ref) => {
    const file = files?.[ref.id];
    return file ? [{ ref, file }] : [];
  });
  if (named.length === 0) return { body };
  body.attachments = named.map(({ ref, file }, index) => ({
    id: index,
    filename: file.filename,
    ...(ref.description ? { description: ref.description } : {}),
  }));
  return {
    body,
    files: named.map(({ file }) => ({ name: file.filename, data: file.data, contentType: file.mimeType })),
  };
}

/** A message-carrying interaction response with the same no-pings rule as every post. */
export function withoutPings(response: APIInteractionResponse): APIInteractionResponse {
  if (!("data" in response) || !response.data || response.type === 9 || response.type === 8) return response;
  return { ...response, data: { ...response.data, allowed_mentions: NO_PINGS } } as APIInteractionResponse;
}
