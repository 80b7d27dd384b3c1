import { t } from "../../i18n/index.js";
import { clip, type Locale, revealLinkHosts } from "../../vocabulary/index.js";
import { splitEscaped } from "../text.js";
import type { RenderedFile } from "../types.js";
import {
  DISCORD_LIMITS,
  type DiscordAttachment,
  type DiscordEmbed,
  type DiscordMessage,
  embedLength,
} from "./limits.js";
import { escapeMarkdownChars, neutralizeMentions } from "./markdown.js";

/**
 * Puts embeds, notes and files into as few Discord messages as the limits allow, in order: embeds first
 * (at most 10 and 6000 characters a message), then the notes as content, then the files on the last
 * message (at most 10 files and 25 MiB a request), with any further files in follow-up messages.
 */

export const NO_MENTIONS = { parse: [] as string[] };

/** Room kept under the request limit for the JSON part of a multipart request. */
const REQUEST_HEADROOM = 512 * 1024;

/** Field value: neutralized and escaped, clipped to the field limit. `raw` is not markup. */
export function fieldText(raw: string, max: number = DISCORD_LIMITS.fieldValue): string {
  const escaped = escapeMarkdownChars(neutralizeMentions(raw));
  if (escaped.length <= max) return escaped.length > 0 ? escaped : "-";
  // Clip the raw text so no escape sequence is cut in half; halving covers the worst expansion (x2).
  let budget = Math.floor(max / 2);
  let result = escapeMarkdownChars(neutralizeMentions(clip(raw, budget)));
  while (result.length > max && budget > 1) {
    budget = Math.floor(budget * 0.8);
    result = escapeMarkdownChars(neutralizeMentions(clip(raw, budget)));
  }
  return result;
}

/**
 * Splits the model's Markdown into embed descriptions, mentions made inert and the real host shown beside
 * any link whose label is not its URL (Discord renders the label alone).
 */
export function descriptionChunks(markdown: string, max: number = DISCORD_LIMITS.embedDescription): string[] {
  return splitEscaped(neutralizeMentions(revealLinkHosts(markdown)), max);
}

/** Splits plain text into escaped pieces of at most `max`. */
export function textChunks(raw: string, max: number): string[] {
  return splitEscaped(neutralizeMentions(raw), max, escapeMarkdownChars);
}

function packEmbeds(embeds: DiscordEmbed[]): DiscordEmbed[][] {
  const pages: DiscordEmbed[][] = [];
  let page: DiscordEmbed[] = [];
  let total = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (
      page.length > 0 &&
      (page.length >= DISCORD_LIMITS.embedsPerMessage || total + length > DISCORD_LIMITS.embedTotal)
    ) {
      pages.push(page);
      page = [];
      total = 0;
    }
    page.push(embed);
    total += length;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

function fileGroups(files: RenderedFile[]): number[][] {
  const groups: number[][] = [];
  let group: number[] = [];
  let bytes = 0;
  const maxBytes = DISCORD_LIMITS.requestBytes - REQUEST_HEADROOM;
  files.forEach((file, index) => {
    if (
      group.length > 0 &&
      (group.length >= DISCORD_LIMITS.attachmentsPerMessage || bytes + file.data.length > maxBytes)
    ) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(index);
    bytes += file.data.length;
  });
  if (group.length > 0) groups.push(group);
  return groups;
}

function attachmentRef(file: RenderedFile, id: number): DiscordAttachment {
  const description = file.altText ?? file.title;
  return {
    id,
    filename: file.filename,
    ...(description ? { description: clip(description, DISCORD_LIMITS.attachmentDescription) } : {}),
  };
}

export function packDiscord(
  input: { embeds: DiscordEmbed[]; notes: string[]; files: RenderedFile[]; content?: string },
  locale: Locale,
): DiscordMessage[] {
  const messages: DiscordMessage[] = packEmbeds(input.embeds).map((embeds) => ({
    embeds,
    allowed_mentions: NO_MENTIONS,
  }));
  // The first files ride on the last embed message, so an embed image (`attachment://graph.png`) resolves.
  const groups = fileGroups(input.files);
  const refs = (group: number[]) => group.map((id) => attachmentRef(input.files[id] as RenderedFile, id));
  const lastEmbeds = messages[messages.length - 1];
  if (lastEmbeds && groups[0]) lastEmbeds.attachments = refs(groups[0]);

  const contentChunks = textChunks(
    [input.content, ...input.notes].filter(Boolean).join("\n"),
    DISCORD_LIMITS.content,
  );
  contentChunks.forEach((chunk, index) => {
    if (index === 0 && lastEmbeds) lastEmbeds.content = chunk;
    else messages.push({ content: chunk, allowed_mentions: NO_MENTIONS });
  });

  groups.forEach((group, index) => {
    if (index === 0 && lastEmbeds) return;
    const target = messages[messages.length - 1];
    if (index === 0 && target) {
      target.attachments = refs(group);
      return;
    }
    const label = t(locale, "result.files_followup", { index: index + 1, count: groups.length });
    messages.push({
      content: escapeMarkdownChars(label),
      attachments: refs(group),
      allowed_mentions: NO_MENTIONS,
    });
  });
  if (messages.length === 0) messages.push({ content: "…", allowed_mentions: NO_MENTIONS });
  return messages;
}
