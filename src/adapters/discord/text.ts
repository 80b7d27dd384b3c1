import { clip, oneLine } from "../../vocabulary/index.js";

/**
 * Discord message text as the graph reads it: the bot's own mention removed, other people's mentions
 * as their names, custom emoji as `:name:`. What is echoed back is neutralized again by the renderers
 * (and every post allows no mentions), so a request cannot ping anyone through the bot.
 */
export interface MentionedUser {
  id: string;
  username: string;
  global_name?: string | null | undefined;
}

export function discordTextToPlain(
  content: string,
  botUserId: string | undefined,
  mentions: readonly MentionedUser[] = [],
): string {
  let out = content;
  if (botUserId) out = out.replace(new RegExp(`<@!?${botUserId}>`, "g"), " ");
  const names = new Map(mentions.map((user) => [user.id, user.global_name || user.username]));
  out = out
    .replace(/<@!?(\d+)>/g, (whole, id: string) => {
      const name = names.get(id);
      return name ? `@${name}` : whole;
    })
    .replace(/<a?:(\w+):\d+>/g, ":$1:");
  return out.trim();
}

/** Whether the text mentions the bot by its user id. */
export function mentionsUser(content: string, userId: string): boolean {
  return new RegExp(`<@!?${userId}>`).test(content);
}

/** Discord thread names are 1-100 characters. */
const THREAD_NAME_MAX = 100;

export function threadName(request: string): string {
  return clip(oneLine(request), THREAD_NAME_MAX) || "Octostrator";
}
