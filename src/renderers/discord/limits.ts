import { z } from "zod";

/**
 * Discord's limits, in one table, each beside the page that states it (read 2026-11 in
 * discord/discord-api-docs, published at https://discord.com/developers/docs). The zod schemas below check
 * every message a renderer returns. Lengths are UTF-16 code units: never fewer than Discord counts.
 */
export const DISCORD_LIMITS = {
  /** Create Message `content`: "up to 2000 characters" — https://discord.com/developers/docs/resources/message#create-message */
  content: 2000,
  /** Create Message `embeds`: "Up to 10 rich embeds (up to 6000 characters)" — same page. */
  embedsPerMessage: 10,
  /** Embed Limits: title, description, field name/value, footer and author name of all embeds together. */
  embedTotal: 6000,
  /** Embed Limits — https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** "Legacy messages allow up to 5 action rows as top-level components" — https://discord.com/developers/docs/components/reference */
  actionRows: 5,
  /** "An Action Row can contain up to 5 Buttons" — same page. */
  buttonsPerRow: 5,
  /** Button `custom_id`: "1-100 characters"; `label`: "max 80 characters" — same page, Button. */
  customId: 100,
  buttonLabel: 80,
  /**
   * NOT stated on the components page we read: a link button's `url`. Discord answers
   * BASE_TYPE_MAX_LENGTH past 512 characters (as libraries report); run links stay well under it.
   */
  buttonUrl: 512,
  /** Attachment `description` (alt text): "max 1024 characters" — message page, Attachment Object. */
  attachmentDescription: 1024,
  /**
   * Default upload limit per attachment: 10 MiB since 2025-01-16 (change log "Default File Upload Limit
   * Change"; "file upload limits for apps are checked per-attachment"). Boosted servers allow more; the
   * adapter may pass its own figure as `maxFileBytes`.
   */
  attachmentBytes: 10 * 1024 * 1024,
  /** "The maximum request size when sending a message is 25 MiB" — Create Message, Limitations. */
  requestBytes: 25 * 1024 * 1024,
  /**
   * NOT stated in the docs we read: at most 10 files per message (what discord.js enforces and the API
   * answers with an error beyond).
   */
  attachmentsPerMessage: 10,
  /** Modal `title`: "max 45 characters"; `custom_id`: "1-100 characters" — https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-modal */
  modalTitle: 45,
  /** Text Input `label`: "max 45 characters"; `value`: "max 4000 characters" — https://discord.com/developers/docs/components/reference#text-input */
  textInputLabel: 45,
  textInputValue: 4000,
} as const;

export const DiscordEmbedSchema = z.object({
  title: z.string().max(DISCORD_LIMITS.embedTitle).optional(),
  description: z.string().max(DISCORD_LIMITS.embedDescription).optional(),
  url: z.string().optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  timestamp: z.string().optional(),
  fields: z
    .array(
      z.object({
        name: z.string().min(1).max(DISCORD_LIMITS.fieldName),
        value: z.string().min(1).max(DISCORD_LIMITS.fieldValue),
        inline: z.boolean().optional(),
      }),
    )
    .max(DISCORD_LIMITS.embedFields)
    .optional(),
  footer: z.object({ text: z.string().min(1).max(DISCORD_LIMITS.footerText) }).optional(),
  author: z.object({ name: z.string().min(1).max(DISCORD_LIMITS.authorName) }).optional(),
  image: z.object({ url: z.string().min(1) }).optional(),
});
export type DiscordEmbed = z.infer<typeof DiscordEmbedSchema>;

export const DiscordActionButtonSchema = z.strictObject({
  type: z.literal(2),
  /** 1 primary, 2 secondary, 3 success, 4 danger. */
  style: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  label: z.string().min(1).max(DISCORD_LIMITS.buttonLabel),
  custom_id: z.string().min(1).max(DISCORD_LIMITS.customId),
});
export type DiscordActionButton = z.infer<typeof DiscordActionButtonSchema>;

/** Style 5: opens `url`, sends the bot nothing, and may not carry a custom_id. */
export const DiscordLinkButtonSchema = z.strictObject({
  type: z.literal(2),
  style: z.literal(5),
  label: z.string().min(1).max(DISCORD_LIMITS.buttonLabel),
  url: z.url({ protocol: /^https?$/ }).max(DISCORD_LIMITS.buttonUrl),
});

export const DiscordButtonSchema = z.union([DiscordActionButtonSchema, DiscordLinkButtonSchema]);
export type DiscordButton = z.infer<typeof DiscordButtonSchema>;

export const DiscordActionRowSchema = z.object({
  type: z.literal(1),
  components: z.array(DiscordButtonSchema).min(1).max(DISCORD_LIMITS.buttonsPerRow),
});
export type DiscordActionRow = z.infer<typeof DiscordActionRowSchema>;

/** Which of the reply's files go with this message: `id` is the file's index in `Rendered.files`. */
export const DiscordAttachmentSchema = z.object({
  id: z.number().int().nonnegative(),
  filename: z.string().min(1),
  description: z.string().max(DISCORD_LIMITS.attachmentDescription).optional(),
});
export type DiscordAttachment = z.infer<typeof DiscordAttachmentSchema>;

/** Characters of an embed counted against the 6000 total. */
export function embedLength(embed: DiscordEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0)
  );
}

export const DiscordMessageSchema = z
  .object({
    content: z.string().max(DISCORD_LIMITS.content).optional(),
    embeds: z.array(DiscordEmbedSchema).max(DISCORD_LIMITS.embedsPerMessage).optional(),
    components: z.array(DiscordActionRowSchema).max(DISCORD_LIMITS.actionRows).optional(),
    attachments: z.array(DiscordAttachmentSchema).max(DISCORD_LIMITS.attachmentsPerMessage).optional(),
    allowed_mentions: z.object({ parse: z.array(z.string()).length(0) }),
  })
  .refine(
    (message) =>
      (message.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0) <= DISCORD_LIMITS.embedTotal,
    {
      message: `embeds carry more than ${DISCORD_LIMITS.embedTotal} characters`,
    },
  )
  .refine(
    (message) =>
      (message.content ?? "").length > 0 ||
      (message.embeds ?? []).length > 0 ||
      (message.attachments ?? []).length > 0 ||
      (message.components ?? []).length > 0,
    { message: "a message needs content, embeds, components or attachments" },
  )
  .refine(
    (message) => {
      const ids = (message.components ?? []).flatMap((row) =>
        row.components.flatMap((button) => ("custom_id" in button ? [button.custom_id] : [])),
      );
      return new Set(ids).size === ids.length;
    },
    { message: "custom_id values must be unique within a message" },
  );
export type DiscordMessage = z.infer<typeof DiscordMessageSchema>;

/** The edit form: one paragraph text input in one action row (Discord's legacy modal layout). */
export const DiscordModalSchema = z.object({
  custom_id: z.string().min(1).max(DISCORD_LIMITS.customId),
  title: z.string().min(1).max(DISCORD_LIMITS.modalTitle),
  components: z
    .array(
      z.object({
        type: z.literal(1),
        components: z
          .array(
            z.object({
              type: z.literal(4),
              custom_id: z.string().min(1).max(DISCORD_LIMITS.customId),
              /** 1 short, 2 paragraph. */
              style: z.union([z.literal(1), z.literal(2)]),
              label: z.string().min(1).max(DISCORD_LIMITS.textInputLabel),
              value: z.string().max(DISCORD_LIMITS.textInputValue).optional(),
              required: z.boolean().optional(),
              min_length: z.number().int().min(0).max(DISCORD_LIMITS.textInputValue).optional(),
              max_length: z.number().int().min(1).max(DISCORD_LIMITS.textInputValue).optional(),
            }),
          )
          .length(1),
      }),
    )
    .min(1)
    .max(5),
});
export type DiscordModal = z.infer<typeof DiscordModalSchema>;
