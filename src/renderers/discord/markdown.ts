/**
 * Discord text safety. Replies always carry `allowed_mentions: {parse: []}`, so nothing pings; on top of
 * that, mention syntax in user or model text is broken up so it does not even render as a mention
 * (`@everyone`, `@here`, `<@id>`, `<@&role>`, `<#channel>`). Text that is not meant as markup also has
 * Discord's Markdown characters backslash-escaped, which Discord renders as the plain character.
 */

const ZWSP = "\u200b";

/** Mention syntax made inert; safe for text that is meant as Markdown (the model's answer). */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(?=[@#/]|a?:|t:)/g, `<${ZWSP}`);
}

const MARKDOWN_CHARS = /[\\*_~`|>#\-[\]<]/g;

/**
 * Escapes one piece of already-neutralized text, character by character (so escaping pieces equals
 * escaping the whole, which the splitter relies on).
 */
export function escapeMarkdownChars(text: string): string {
  return text.replace(MARKDOWN_CHARS, (char) => `\\${char}`);
}

/** User or model text shown literally: no mentions, no formatting. */
export function escapeDiscord(text: string): string {
  return escapeMarkdownChars(neutralizeMentions(text));
}

/** Discord's timestamp markup, shown in each reader's time zone and language. */
export function discordTime(iso: string, fallback: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(seconds) ? `<t:${seconds}:f>` : escapeDiscord(fallback);
}

/** A user mention for Discord snowflakes (no ping: replies allow no mentions); anything else as text. */
export function discordUser(id: string): string {
  return /^\d{15,21}$/.test(id) ? `<@${id}>` : escapeDiscord(id);
}

/**
 * A short label for places where Discord does not reliably render Markdown escapes (field names): the
 * formatting characters are dropped instead of escaped, and mentions are made inert.
 */
export function plainLabel(text: string): string {
  return neutralizeMentions(text).replace(/[\\*_~`|<>[\]]/g, "");
}

export function hexColour(hex: string): number {
  return Number.parseInt(hex.replace("#", ""), 16);
}
