/**
 * Slack's message text is mrkdwn with `<...>` references and `&`, `<`, `>` escaped
 * (docs.slack.dev/messaging/formatting-message-text). Requests reach the graph as plain text; what is
 * echoed back is escaped again by the renderers, so a request cannot ping `@channel` or forge links.
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
