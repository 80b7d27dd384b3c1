import { z } from "zod";
import type { CardAction, OctoCommand } from "../../delivery/index.js";
import { discord } from "../../renderers/index.js";
import { isOutputFormat, type Locale } from "../../vocabulary/index.js";
import { OCTO_COMMAND_NAME, OCTO_OPTIONS, OCTO_SUBCOMMANDS } from "./command-definition.js";

/**
 * Raw interaction payloads (https://discord.com/developers/docs/interactions/receiving-and-responding),
 * as the gateway's INTERACTION_CREATE and the HTTP endpoint both deliver them, to what the adapter acts
 * on. Pure; nothing here trusts more of a payload than it needs.
 */
export const INTERACTION_TYPES = { ping: 1, command: 2, component: 3, autocomplete: 4, modal: 5 } as const;

const UserSchema = z.looseObject({ id: z.string() });

const InteractionSchema = z.looseObject({
  id: z.string(),
  application_id: z.string(),
  type: z.number(),
  token: z.string(),
  guild_id: z.string().optional(),
  channel_id: z.string().optional(),
  channel: z
    .looseObject({ id: z.string(), type: z.number().optional(), parent_id: z.string().nullable().optional() })
    .optional(),
  member: z.looseObject({ user: UserSchema, roles: z.array(z.string()).default([]) }).optional(),
  user: UserSchema.optional(),
  locale: z.string().optional(),
  guild_locale: z.string().optional(),
  data: z.unknown().optional(),
  message: z.looseObject({ id: z.string(), channel_id: z.string().optional() }).optional(),
});

export interface ParsedInteraction {
  id: string;
  applicationId: string;
  type: number;
  token: string;
  guildId: string | undefined;
  channelId: string | undefined;
  channelHint: { type?: number | undefined; parent_id?: string | null | undefined } | undefined;
  /** The person: the member's user in a guild, the user in a DM. */
  user: string;
  /** The member's role ids (empty in DMs). */
  roles: readonly string[];
  /** The person's client language (`ko`, `en-US` ...). */
  locale: string | undefined;
  data: unknown;
  /** The message a component (or a modal opened from one) is attached to. */
  messageId: string | undefined;
}

export function parseInteraction(raw: unknown): ParsedInteraction | undefined {
  const parsed = InteractionSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const ix = parsed.data;
  const user = ix.member?.user.id ?? ix.user?.id;
  if (!user && ix.type !== INTERACTION_TYPES.ping) return undefined;
  return {
    id: ix.id,
    applicationId: ix.application_id,
    type: ix.type,
    token: ix.token,
    guildId: ix.guild_id,
    channelId: ix.channel_id ?? ix.channel?.id,
    channelHint: ix.channel ? { type: ix.channel.type, parent_id: ix.channel.parent_id } : undefined,
    user: user ?? "",
    roles: ix.member?.roles ?? [],
    locale: ix.locale ?? ix.guild_locale,
    data: ix.data,
    messageId: ix.message?.id,
  };
}

/** Discord's locale for the person: Korean for `ko`, English otherwise. */
export function localeOfDiscord(locale: string | undefined): Locale {
  return locale?.toLowerCase().startsWith("ko") ? "ko" : "en";
}

const OptionSchema = z.looseObject({
  name: z.string(),
  type: z.number(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

const CommandDataSchema = z.looseObject({
  name: z.string(),
  options: z.array(OptionSchema.extend({ options: z.array(OptionSchema).default([]) })).default([]),
});

export type DiscordCommand = OctoCommand | { kind: "unknown"; name: string };

/** `/octo <sub-command> ...` as the delivery layer's command; anything else is `unknown`. */
export function parseOctoInteraction(data: unknown): DiscordCommand {
  const parsed = CommandDataSchema.safeParse(data);
  if (!parsed.success) return { kind: "unknown", name: "?" };
  const { name, options } = parsed.data;
  const [sub] = options;
  if (name !== OCTO_COMMAND_NAME || !sub) return { kind: "unknown", name };
  const option = (key: string) => sub.options.find((item) => item.name === key)?.value;
  switch (sub.name) {
    case OCTO_SUBCOMMANDS.ask: {
      const request = String(option(OCTO_OPTIONS.request) ?? "").trim();
      const chosen = option(OCTO_OPTIONS.format);
      const format = chosen === undefined ? undefined : String(chosen);
      if (format !== undefined && !isOutputFormat(format))
        return { kind: "usage", problem: "unknown_format", detail: format };
      if (request.length === 0) return { kind: "usage", problem: "empty", detail: "" };
      return { kind: "run", format, request };
    }
    case OCTO_SUBCOMMANDS.history:
      return { kind: "history" };
    case OCTO_SUBCOMMANDS.forget:
      return { kind: "forget" };
    case OCTO_SUBCOMMANDS.help:
      return { kind: "help" };
    case OCTO_SUBCOMMANDS.rewind: {
      const turns = Number(option(OCTO_OPTIONS.turns));
      if (Number.isInteger(turns) && turns > 0) return { kind: "rewind", turns };
      return { kind: "usage", problem: "bad_rewind", detail: String(option(OCTO_OPTIONS.turns) ?? "") };
    }
    default:
      return { kind: "unknown", name: `${name} ${sub.name}` };
  }
}

const ComponentDataSchema = z.looseObject({ custom_id: z.string() });

/** A card button: the action its `custom_id` prefix names and the opaque id after it. */
export function parseButton(data: unknown): { action: CardAction; id: string } | undefined {
  const parsed = ComponentDataSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const customId = parsed.data.custom_id;
  for (const [action, prefix] of Object.entries(discord.DISCORD_ACTIONS) as [CardAction, string][]) {
    if (customId.startsWith(prefix) && customId.length > prefix.length)
      return { action, id: customId.slice(prefix.length) };
  }
  return undefined;
}

const ModalDataSchema = z.looseObject({
  custom_id: z.string(),
  components: z.array(z.unknown()).default([]),
});

export interface EditSubmission {
  approvalId: string;
  cardMessageId: string;
  task: string;
}

/** The edit modal sent back: its approval, its card and the task typed (trimmed). */
export function parseEditSubmission(data: unknown): EditSubmission | undefined {
  const parsed = ModalDataSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const ids = discord.parseEditModalId(parsed.data.custom_id);
  if (!ids) return undefined;
  return { ...ids, task: (inputValue(parsed.data.components, discord.EDIT_INPUT_ID) ?? "").trim() };
}

/** A text input's value wherever the layout puts it (an action row, or a label's `component`). */
function inputValue(node: unknown, customId: string): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = inputValue(item, customId);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== "object") return undefined;
  const record = node as Record<string, unknown>;
  if (record.custom_id === customId && typeof record.value === "string") return record.value;
  return inputValue(record.components, customId) ?? inputValue(record.component, customId);
}
