import { z } from "zod";
import { slackTextToPlain } from "./text.js";
import type { SlackThread } from "./thread-key.js";

/**
 * Which Slack events are requests for the bot. In channels only mentions are (so people can talk in a
 * thread without starting runs); in DMs every message from a person is. Edits, deletions, joins and
 * messages from bots, including our own, never are.
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
  files: z.array(z.looseObject({ name: z.string().optional() })).optional(),
});

const EventCallbackSchema = z.looseObject({
  team_id: z.string().optional(),
  event_id: z.string().optional(),
  authorizations: z.array(z.looseObject({ team_id: z.string().nullable().optional() })).optional(),
  event: MessageEventSchema,
});

/** Subtypes that still carry a person's new message (file uploads, replies also sent to the channel). */
const PERSON_SUBTYPES = new Set(["file_share", "thread_broadcast"]);

export interface InboundRequest {
  kind: "request";
  thread: SlackThread;
  /** The message's own ts: the dedupe identity, whichever event type delivered it. */
  ts: string;
  user: string;
  text: string;
  isDm: boolean;
  eventId: string | undefined;
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
  if (event.bot_id || !event.user) return { kind: "ignore", reason: "from a bot" };
  if (botUserId && event.user === botUserId) return { kind: "ignore", reason: "from this app" };

  const isDm = event.channel_type === "im" || (event.type === "message" && event.channel.startsWith("D"));
  const rawText = event.text ?? "";
  if (event.type === "message" && !isDm) {
    // A channel message that mentions us also arrives as app_mention; that copy is the one we act on.
    return { kind: "ignore", reason: "channel message without the app_mention event" };
  }
  const team = parsed.data.authorizations?.[0]?.team_id ?? parsed.data.team_id ?? event.team;
  if (!team) return { kind: "ignore", reason: "no team" };
  const names = (event.files ?? []).map((file) => file.name).filter((name): name is string => Boolean(name));
  const text = slackTextToPlain(rawText, botUserId);
  return {
    kind: "request",
    thread: { team, channel: event.channel, threadTs: event.thread_ts ?? event.ts },
    ts: event.ts,
    user: event.user,
    text: text.length > 0 || names.length === 0 ? text : names.join(", "),
    isDm,
    eventId: parsed.data.event_id,
  };
}
