import type { DiscordWorld, EmulatedAttachment, EmulatedMessage } from "./state.js";
import type { UploadedFile } from "./validation.js";

/**
 * Turning a bot's message body (create or edit, with its uploads) into the stored message, as Discord
 * resolves it: `attachments[].id` names the `files[n]` upload or an attachment the message keeps, and the
 * mentions that actually ping are those `allowed_mentions` lets through.
 */
export interface Mentions {
  users: string[];
  roles: string[];
  everyone: boolean;
}

/** Who the text mentions, before allowed_mentions. */
export function mentionsIn(content: string): Mentions {
  const users = [...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1] as string);
  const roles = [...content.matchAll(/<@&(\d+)>/g)].map((match) => match[1] as string);
  return {
    users: [...new Set(users)],
    roles: [...new Set(roles)],
    everyone: /@(everyone|here)\b/.test(content),
  };
}

/** The mentions that ping: Discord's default (no allowed_mentions) pings everything the text names. */
export function pingedMentions(content: string, allowed: unknown): Mentions {
  const named = mentionsIn(content);
  if (allowed === undefined || allowed === null) return named;
  const rules = allowed as { parse?: string[]; users?: string[]; roles?: string[] };
  const parse = new Set(rules.parse ?? []);
  const users = parse.has("users") ? named.users : named.users.filter((id) => rules.users?.includes(id));
  const roles = parse.has("roles") ? named.roles : named.roles.filter((id) => rules.roles?.includes(id));
  return { users, roles, everyone: named.everyone && parse.has("everyone") };
}

export function attachmentUrl(origin: string, channelId: string, id: string, filename: string): string {
  return `${origin}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
}

/**
 * The attachments a body leaves on a message: with `attachments` given, exactly those (uploads by
 * index, kept ones by id); without, the kept ones plus every upload.
 */
export function resolveAttachments(
  world: DiscordWorld,
  origin: string,
  channelId: string,
  body: Record<string, unknown>,
  files: UploadedFile[],
  kept: EmulatedAttachment[],
): EmulatedAttachment[] {
  const fromUpload = (file: UploadedFile, meta: Record<string, unknown> = {}): EmulatedAttachment => {
    const id = world.nextId();
    const filename = typeof meta.filename === "string" ? meta.filename : file.filename;
    return {
      id,
      filename,
      contentType: file.contentType,
      size: file.size,
      data: file.data,
      description: typeof meta.description === "string" ? meta.description : undefined,
      url: attachmentUrl(origin, channelId, id, filename),
    };
  };
  if (!Array.isArray(body.attachments)) return [...kept, ...files.map((file) => fromUpload(file))];
  const result: EmulatedAttachment[] = [];
  for (const raw of body.attachments as Record<string, unknown>[]) {
    const id = String(raw.id);
    const existing = kept.find((attachment) => attachment.id === id);
    if (existing) {
      result.push(existing);
      continue;
    }
    const upload = files.find((file) => file.index !== undefined && String(file.index) === id);
    if (upload) result.push(fromUpload(upload, raw));
  }
  // Uploads the list does not name still arrive, as Discord attaches every files[n] part.
  for (const file of files) {
    const named = (body.attachments as Record<string, unknown>[]).some(
      (raw) => String(raw.id) === String(file.index),
    );
    if (!named) result.push(fromUpload(file));
  }
  return result;
}

export interface NewMessage {
  channelId: string;
  authorId: string;
  body: Record<string, unknown>;
  files: UploadedFile[];
  type?: number;
  webhookId?: string;
  interactionId?: string;
  /** Extra flags (loading, ephemeral) the response type implies. */
  flags?: number;
}

export function createMessage(world: DiscordWorld, origin: string, input: NewMessage): EmulatedMessage {
  const channel = world.channel(input.channelId);
  const content = typeof input.body.content === "string" ? input.body.content : "";
  const pinged = pingedMentions(content, input.body.allowed_mentions);
  const reference = input.body.message_reference as { message_id?: string } | undefined;
  const referenced = reference?.message_id ? world.message(reference.message_id) : undefined;
  const message: EmulatedMessage = {
    id: world.nextId(),
    channelId: input.channelId,
    guildId: channel?.guildId,
    authorId: input.authorId,
    type: input.type ?? (referenced ? 19 : 0),
    content,
    embeds: arrayOf(input.body.embeds),
    components: arrayOf(input.body.components),
    attachments: [],
    flags: (typeof input.body.flags === "number" ? input.body.flags : 0) | (input.flags ?? 0),
    mentions: pinged.users,
    mentionRoles: pinged.roles,
    mentionEveryone: pinged.everyone,
    allowedMentions: input.body.allowed_mentions,
    reference: referenced
      ? {
          message_id: referenced.id,
          channel_id: referenced.channelId,
          ...(referenced.guildId ? { guild_id: referenced.guildId } : {}),
        }
      : undefined,
    webhookId: input.webhookId,
    interactionId: input.interactionId,
    threadId: undefined,
    createdAt: Date.now(),
    editedAt: undefined,
    revisions: [],
  };
  message.attachments = resolveAttachments(world, origin, input.channelId, input.body, input.files, []);
  return world.addMessage(message);
}

/** Applies an edit body: only the fields present change, as PATCH does. */
export function editMessage(
  world: DiscordWorld,
  origin: string,
  message: EmulatedMessage,
  body: Record<string, unknown>,
  files: UploadedFile[],
  clearFlags = 0,
): void {
  const change: Parameters<DiscordWorld["edit"]>[1] = {};
  if ("content" in body) change.content = typeof body.content === "string" ? body.content : "";
  if ("embeds" in body) change.embeds = arrayOf(body.embeds);
  if ("components" in body) change.components = arrayOf(body.components);
  if ("allowed_mentions" in body) change.allowedMentions = body.allowed_mentions;
  const flags = typeof body.flags === "number" ? body.flags : message.flags;
  // Ephemerality and the loading state are not the bot's to change by editing.
  change.flags = ((flags & ~(64 | 128)) | (message.flags & 64) | (message.flags & 128)) & ~clearFlags;
  if ("attachments" in body || files.length > 0)
    change.attachments = resolveAttachments(
      world,
      origin,
      message.channelId,
      body,
      files,
      message.attachments,
    );
  world.edit(message, change);
  if (change.content !== undefined) {
    const pinged = pingedMentions(message.content, message.allowedMentions);
    message.mentions = pinged.users;
    message.mentionRoles = pinged.roles;
    message.mentionEveryone = pinged.everyone;
  }
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
