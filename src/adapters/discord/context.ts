import { errorEvent } from "../../conversations/index.js";
import type { AttachmentReader, Delivery } from "../../delivery/index.js";
import type { discord } from "../../renderers/index.js";
import type { ErrorCode, Locale } from "../../vocabulary/index.js";
import { OctoError } from "../../vocabulary/index.js";
import type { ChannelPlaces } from "./channels.js";
import type { DiscordOutbox } from "./outbox.js";
import type { DiscordSettings } from "./settings.js";
import type { InteractionTokens } from "./tokens.js";

/** What the Discord listeners share: the delivery layer set up for Discord, REST, and lookups. */
export interface DiscordContext {
  delivery: Delivery<discord.DiscordMessage>;
  outbox: DiscordOutbox;
  tokens: InteractionTokens;
  places: ChannelPlaces;
  /** Reads files people attach (Discord's CDN, no token). */
  files: AttachmentReader;
  settings: DiscordSettings;
  /** The bot's own user id, known after GET /users/@me. */
  botUserId: () => string | undefined;
  /** How long an interaction's token is used for edits and follow-ups. */
  tokenTtlMs: number;
  /** How long an interaction may go without its first response before a deferral is sent for it. */
  firstResponseMs: number;
}

/** The bot's permissions a conversation thread needs, as the channel settings name them. */
export const THREAD_PERMISSIONS =
  "Create Public Threads, Send Messages in Threads, Embed Links, Attach Files";

/** A polite refusal with the service's words for `code`, for replies outside a run. */
export function refusal(
  ctx: DiscordContext,
  code: ErrorCode,
  where: { threadKey: string; locale: Locale },
  params: Record<string, string | number> = {},
): discord.DiscordMessage {
  const event = errorEvent(new OctoError(code, code, { params }), where);
  return ctx.delivery.renderer.error(event, where.locale);
}
