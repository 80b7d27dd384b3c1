import { z } from "zod";
import type { FileRef } from "../../delivery/index.js";
import { SlackFileSchema, slackFileRef } from "./files.js";
import { slackTextToPlain } from "./text.js";
import type { SlackThread } from "./thread-key.js";

/**
 * Which Slack events are requests for the bot: mentions anywhere, every message from a person in a DM,
 * and plain replies in a channel thread (to be continued only if the thread already holds a
 * conversation, which the listener asks the service). Top-level channel chatter, edits, deletions,
 * joins and messages from bots, including our own, never are.
 */
const MessageEventSchema = z.looseObject({
  type: z.enum(["app_mention", "message"]),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  team: z.string().optional(),
  files: z.array(SlackFileSchema).optional(),
});

const EventCallbackSchema = z.looseObject({
  team_id: z.string().optional(),
  event_id: z.string().optional(),
  authorizations: z.array(z.looseObject({ team_id: z.string().nullable().optional() })).optional(),
  event: MessageEventSchema,
});

/** Subtypes that still carry a person's new message (file uploads, replies also sent to the channel). */
const PERSON_SUBTYPES = new Set(["file_share", "thread_broadcast"]);

/** message.channels and message.groups; other channel types (mpim, app_home) are not subscribed. */
const THREADED_CHANNEL_TYPES = new Set(["channel", "group"]);

/**
 * How the message reached us: a mention or a DM always asks for a run; a thread reply only continues a
 * conversation the thread already has.
 */
export type InboundTrigger = "mention" | "dm" | "thread_reply";

export interface InboundRequest {
  kind: "request";
  trigger: InboundTrigger;
  thread: SlackThread;
  /** The message's own ts: the dedupe identity, whichever event type delivered it. */
  ts: string;
  user: string;
  text: string;
  isDm: boolean;
  eventId: string | undefined;
  files: FileRef[];
}

export interface Ignored {
  kind: "ignore";
  reason: string;
}

export function classifyMessageEvent(body: unknown, botUserId: string | undefined): InboundRequest | Ignored {
  const parsed = EventCallbackSchema.safeParse(body);
  if (!parsed.success) return { kind: "ignore", reason: "not a message event" };
  const { event } = parsed.data;
  if (event.subtype && !PERSON_SUBTYPES.has(event.subtype))
    return { kind: "ignore", reason: `subtype ${event.subtype}` };
  // Also catches message_replied notices, which Slack sends without their subtype and without a user.
  if (event.bot_id || !event.user) return { kind: "ignore", reason: "from a bot" };
  if (botUserId && event.user === botUserId) return { kind: "ignore", reason: "from this app" };

  const isDm = event.channel_type === "im" || (event.type === "message" && event.channel.startsWith("D"));
  const rawText = event.text ?? "";
  let trigger: InboundTrigger;
  if (event.type === "app_mention") trigger = isDm ? "dm" : "mention";
  else if (isDm) trigger = "dm";
  else {
    if (!THREADED_CHANNEL_TYPES.has(event.channel_type ?? "channel"))
      return { kind: "ignore", reason: `channel type ${event.channel_type}` };
    // A channel message that mentions us also arrives as app_mention; that copy is the one we act on.
    if (botUserId && rawText.includes(`<@${botUserId}`))
      return { kind: "ignore", reason: "mention: the app_mention event carries it" };
    // A reply's thread_ts names its root; a root (or an unthreaded message) has none or its own ts.
    if (!event.thread_ts || event.thread_ts === event.ts)
      return { kind: "ignore", reason: "top-level channel message without a mention" };
    trigger = "thread_reply";
  }

  const team = parsed.data.authorizations?.[0]?.team_id ?? parsed.data.team_id ?? event.team;
  if (!team) return { kind: "ignore", reason: "no team" };
  const files = (event.files ?? []).map(slackFileRef);
  const names = files.map((file) => file.name);
  const text = slackTextToPlain(rawText, botUserId);
  return {
    kind: "request",
    trigger,
    thread: { team, channel: event.channel, threadTs: event.thread_ts ?? event.ts },
    ts: event.ts,
    user: event.user,
    text: text.length > 0 || names.length === 0 ? text : names.join(", "),
    isDm,
    eventId: parsed.data.event_id,
    files,
  };
}
