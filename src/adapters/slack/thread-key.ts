/**
 * The conversation a Slack thread maps to: `slack:{team}:{channel}:{thread_ts}`, where `thread_ts` is the
 * thread's root message (a message that starts a thread is its own root). Slack ids never contain `:`.
 */
export interface SlackThread {
  team: string;
  channel: string;
  threadTs: string;
}

const PREFIX = "slack:";

export function slackThreadKey(thread: SlackThread): string {
  return `${PREFIX}${thread.team}:${thread.channel}:${thread.threadTs}`;
}

export function parseSlackThreadKey(key: string): SlackThread | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const [team, channel, threadTs, ...rest] = key.slice(PREFIX.length).split(":");
  if (!team || !channel || !threadTs || rest.length > 0) return undefined;
  return { team, channel, threadTs };
}

/** Prefix shared by every conversation of one channel (for "your latest conversation here"). */
export function channelKeyPrefix(team: string, channel: string): string {
  return `${PREFIX}${team}:${channel}:`;
}
