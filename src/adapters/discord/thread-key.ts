/**
 * The conversation a Discord thread maps to: `discord:{guild}:{channel}:{thread}`, with `@me` as the
 * guild of a DM (whose channel is its own thread: `discord:@me:{dm}:{dm}`). `channel` is the thread's
 * parent, so every conversation of one channel shares a prefix. Snowflakes never contain `:`.
 */
export interface DiscordThread {
  /** Guild id, or `@me` for a DM. */
  guild: string;
  /** The text channel the thread hangs off (the DM channel itself for DMs). */
  channel: string;
  /** The thread channel's id: where the bot posts (the DM channel for DMs). */
  thread: string;
}

const PREFIX = "discord:";
export const DM_GUILD = "@me";

export function discordThreadKey(thread: DiscordThread): string {
  return `${PREFIX}${thread.guild}:${thread.channel}:${thread.thread}`;
}

export function parseDiscordThreadKey(key: string): DiscordThread | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const [guild, channel, thread, ...rest] = key.slice(PREFIX.length).split(":");
  if (!guild || !channel || !thread || rest.length > 0) return undefined;
  return { guild, channel, thread };
}

/** Prefix shared by every conversation of one channel (for "your latest conversation here"). */
export function channelKeyPrefix(guild: string, channel: string): string {
  return `${PREFIX}${guild}:${channel}:`;
}
