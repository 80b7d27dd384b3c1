/**
 * Slack's message text is mrkdwn with `<...>` references and `&`, `<`, `>` escaped
 * (docs.slack.dev/messaging/formatting-message-text). Requests reach the graph as plain text; what we
 * echo back is escaped again so a request cannot ping `@channel` or forge links.
 */
export function slackTextToPlain(text: string, botUserId?: string): string {
  let out = text;
  if (botUserId) out = out.split(`<@${botUserId}>`).join(" ");
  out = out
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_whole, url: string, label: string) =>
      label === url || url.endsWith(`//${label}`) || url === `mailto:${label}` ? label : `${label} (${url})`,
    )
    .replace(/<((?:https?|mailto):[^>]+)>/g, "$1")
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, "#$1")
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_whole, id: string, name: string | undefined) =>
      name ? `@${name}` : `<@${id}>`,
    )
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_whole, name: string | undefined) => name ?? "@group")
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, "@$1")
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, "$1");
  return out.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").trim();
}

/** Escapes text for mrkdwn so it shows literally. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** At most `max` characters (code points), cut at a word boundary when one is near, with an ellipsis. */
export function shorten(text: string, max: number): { text: string; shortened: boolean } {
  const chars = [...text];
  if (chars.length <= max) return { text, shortened: false };
  const head = chars.slice(0, Math.max(1, max - 1)).join("");
  const space = head.lastIndexOf(" ");
  const cut = space > max * 0.8 ? head.slice(0, space) : head;
  return { text: `${cut}…`, shortened: true };
}
