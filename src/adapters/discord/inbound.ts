import { z } from "zod";
import type { FileRef } from "../../delivery/index.js";
import { DiscordAttachmentSchema, discordFileRef } from "./files.js";
import { discordTextToPlain, mentionsUser, threadName } from "./text.js";
import { type DiscordThread, DM_GUILD } from "./thread-key.js";

/**
 * Which gateway messages are requests for the bot: a mention in a text channel (answered in a thread
 * started on it), any message in a DM, and any message in a thread (continuing a conversation only
 * where the thread holds one, which the delivery layer asks the ledger). Other bots, webhooks, the bot
 * itself and system messages (joins, pins, thread notices) never are; edits arrive as MESSAGE_UPDATE,
 * which the adapter does not read.
 */
const MentionSchema = z.looseObject({
  id: z.string(),
  username: z.string().default(""),
  global_name: z.string().nullable().optional(),
});

export const MessageCreateSchema = z.looseObject({
  id: z.string(),
  channel_id: z.string(),
  guild_id: z.string().optional(),
  author: z.looseObject({
    id: z.string(),
    bot: z.boolean().optional(),
    system: z.boolean().optional(),
  }),
  webhook_id: z.string().optional(),
  type: z.number(),
  content: z.string().default(""),
  mentions: z.array(MentionSchema).default([]),
  attachments: z.array(DiscordAttachmentSchema).default([]),
});
export type MessageCreate = z.infer<typeof MessageCreateSchema>;

/** DEFAULT and REPLY: what a person writes; every other type is a system message. */
const PERSON_TYPES = new Set([0, 19]);

/** Where a message was written, as the adapter finds out from the channel. */
export type ChannelPlace =
  | { kind: "dm" }
  /** A guild text or announcement channel: a mention starts a thread on the message. */
  | { kind: "text" }
  | { kind: "thread"; parentId: string }
  /** Voice, stage, group DMs ...: nowhere to hold a conversation. */
  | { kind: "other"; type: number };

/** Discord channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types). */
export function placeOfChannel(type: number, parentId: string | null | undefined): ChannelPlace {
  if (type === 1) return { kind: "dm" };
  if (type === 0 || type === 5) return { kind: "text" };
  if ((type === 10 || type === 11 || type === 12) && parentId) return { kind: "thread", parentId };
  return { kind: "other", type };
}

export type InboundTrigger = "mention" | "dm" | "thread_reply";

export interface InboundRequest {
  kind: "request";
  trigger: InboundTrigger;
  /** The conversation's thread; for a mention in a channel, the one to start on the message. */
  thread: DiscordThread;
  /** A mention in a text channel: start a thread with this name on the message first. */
  startThread: { name: string } | undefined;
  messageId: string;
  user: string;
  text: string;
  files: FileRef[];
}

export interface Ignored {
  kind: "ignore";
  reason: string;
}

/** First look, before the channel is known: what no place could make a request. */
export function readMessage(data: unknown, botUserId: string | undefined): MessageCreate | Ignored {
  const parsed = MessageCreateSchema.safeParse(data);
  if (!parsed.success) return { kind: "ignore", reason: "not a message" };
  const message = parsed.data;
  if (botUserId && message.author.id === botUserId) return { kind: "ignore", reason: "from this bot" };
  if (message.author.bot || message.author.system || message.webhook_id)
    return { kind: "ignore", reason: "from a bot or webhook" };
  if (!PERSON_TYPES.has(message.type))
    return { kind: "ignore", reason: `system message type ${message.type}` };
  return message;
}

export function classifyMessage(
  message: MessageCreate,
  place: ChannelPlace,
  botUserId: string | undefined,
): InboundRequest | Ignored {
  const mentioned =
    botUserId !== undefined &&
    (message.mentions.some((user) => user.id === botUserId) || mentionsUser(message.content, botUserId));
  const files = message.attachments.map(discordFileRef);
  const plain = discordTextToPlain(message.content, botUserId, message.mentions);
  const text = plain.length > 0 || files.length === 0 ? plain : files.map((file) => file.name).join(", ");
  const common = { kind: "request" as const, messageId: message.id, user: message.author.id, text, files };

  switch (place.kind) {
    case "dm": {
      const dm = message.channel_id;
      return {
        ...common,
        trigger: "dm",
        thread: { guild: DM_GUILD, channel: dm, thread: dm },
        startThread: undefined,
      };
    }
    case "text": {
      if (!mentioned) return { kind: "ignore", reason: "channel message without a mention" };
      if (!message.guild_id) return { kind: "ignore", reason: "no guild" };
      return {
        ...common,
        trigger: "mention",
        // A thread started on a message takes the message's id.
        thread: { guild: message.guild_id, channel: message.channel_id, thread: message.id },
        startThread: { name: threadName(plain || text) },
      };
    }
    case "thread": {
      if (!message.guild_id) return { kind: "ignore", reason: "no guild" };
      // Without the MessageContent intent, messages that do not mention the bot come with no text.
      if (!mentioned && text.length === 0)
        return { kind: "ignore", reason: "empty thread message (is the Message Content intent on?)" };
      return {
        ...common,
        trigger: mentioned ? "mention" : "thread_reply",
        thread: { guild: message.guild_id, channel: place.parentId, thread: message.channel_id },
        startThread: undefined,
      };
    }
    case "other":
      return { kind: "ignore", reason: `channel type ${place.type}` };
  }
}

export function isIgnored(value: MessageCreate | InboundRequest | Ignored): value is Ignored {
  return value.kind === "ignore";
}
