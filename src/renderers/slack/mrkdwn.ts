import { hiddenLinkHost } from "../../vocabulary/index.js";

/**
 * Slack text safety. Slack parses `&`, `<` and `>` as control characters (mentions such as `<!channel>`,
 * `<@U…>`, `<#C…>`, links, dates) and asks for them as HTML entities when meant literally
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping). mrkdwn has no escape for `*`, `_`,
 * `~` and `` ` ``; a zero-width space after each one keeps the character visible (and copyable) while
 * breaking the emphasis pattern. Every function here works character by character, so escaping a text in
 * pieces equals escaping it whole (the splitter relies on that).
 */

const ZWSP = "\u200b";

const MRKDWN_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  // A `>` at a line start would open a quote even as `&gt;`; the zero-width space in front prevents it.
  ">": `${ZWSP}&gt;`,
  "*": `*${ZWSP}`,
  _: `_${ZWSP}`,
  "~": `~${ZWSP}`,
  "`": `\`${ZWSP}`,
};

/** User or model text shown literally inside mrkdwn: no formatting, no mentions, no links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>*_~`]/g, (char) => MRKDWN_ESCAPES[char] ?? char);
}

/**
 * Text for `plain_text` objects (headers, buttons), which Slack shows without formatting: only the mention
 * and link markup is broken up, with a zero-width space after `<`, since entities would show literally.
 */
export function plainSafe(text: string): string {
  return text.replace(/</g, `<${ZWSP}`);
}

/** Slack's date markup: shown in each reader's own time zone, with `fallback` where unsupported. */
export function slackDate(iso: string, fallback: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  if (!Number.isFinite(seconds)) return escapeMrkdwn(fallback);
  return `<!date^${seconds}^{date_short_pretty} {time}|${escapeMrkdwn(fallback)}>`;
}

/** A Slack user mention for ids that look like Slack user ids; anything else is shown as text. */
export function slackUser(id: string): string {
  return /^[UW][A-Z0-9]{2,20}$/.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/**
 * The model's Markdown answer as mrkdwn: the answer is meant as formatting, so emphasis, headings, lists
 * and links are translated rather than escaped; `&`, `<`, `>` are still escaped first, so no mention,
 * channel ping or raw link markup can come from the model.
 */
export function markdownToMrkdwn(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let inCode = false;
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/[&<>]/g, (char) => (char === "&" ? "&amp;" : char === "<" ? "&lt;" : "&gt;"));
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      out.push(line.trim());
      continue;
    }
    if (inCode) {
      out.push(line);
      continue;
    }
    out.push(convertLine(line));
  }
  return out.join("\n");
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `*${inlineMarkdown(heading[1] ?? "").replace(/\*/g, "")}*`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1] ?? ""}• ${inlineMarkdown(bullet[2] ?? "")}`;
  return inlineMarkdown(line);
}

function inlineMarkdown(text: string): string {
  // Code spans first, so nothing inside them is touched by the other rules.
  return text
    .split(/(`[^`]+`)/g)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      return part
        .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s|]+)\)/g, (_match, label: string, url: string) => {
          // The host beside a label that is not its URL: a label cannot pass a hostile link off as trusted.
          const host = hiddenLinkHost(unescapeEntities(label), unescapeEntities(url));
          return `<${url}|${label.replace(/[|]/g, "/")}>${host ? ` (${escapeMrkdwn(host)})` : ""}`;
        })
        .replace(/\*\*([^*]+)\*\*/g, "*$1*")
        .replace(/__([^_]+)__/g, "*$1*")
        .replace(/~~([^~]+)~~/g, "~$1~");
    })
    .join("");
}

/** The text `markdownToMrkdwn` escaped, as written: what a link's label and URL really say. */
function unescapeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_match, name: string) =>
    name === "amp" ? "&" : name === "lt" ? "<" : ">",
  );
}
