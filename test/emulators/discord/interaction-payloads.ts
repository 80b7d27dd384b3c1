import { randomBytes } from "node:crypto";
import { apiChannel, apiMember, apiMessage, userById } from "./objects.js";
import type { DiscordWorld, EmulatedMessage } from "./state.js";

/**
 * Interaction objects as Discord sends them (INTERACTION_CREATE or the HTTP POST body): application
 * commands (type 2), component clicks (3), modal submissions (5) and PINGs (1), with everything discord.js
 * reads unconditionally (channel object, app_permissions, entitlements, member with permissions).
 */
export const INTERACTION_TYPE = {
  ping: 1,
  applicationCommand: 2,
  messageComponent: 3,
  autocomplete: 4,
  modalSubmit: 5,
} as const;

export type OptionValue = string | number | boolean;

export interface BuiltInteraction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
}

export interface InteractionContext {
  type: number;
  channelId: string | undefined;
  userId: string | undefined;
  locale?: string;
  data?: Record<string, unknown>;
  message?: EmulatedMessage;
}

export function buildInteraction(world: DiscordWorld, context: InteractionContext): BuiltInteraction {
  const id = world.nextId();
  // Interaction tokens are long opaque strings; the prefix only helps a person reading logs.
  const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString("base64url")}`;
  const payload: Record<string, unknown> = {
    id,
    application_id: world.applicationId,
    type: context.type,
    token,
    version: 1,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (context.type === INTERACTION_TYPE.ping) {
    payload.user = null;
    return { id, token, payload };
  }
  const channel = context.channelId ? world.channel(context.channelId) : undefined;
  const userId = context.userId ?? "";
  const user = world.user(userId);
  payload.locale = context.locale ?? user?.locale ?? "en-US";
  if (channel) {
    payload.channel_id = channel.id;
    payload.channel = apiChannel(world, channel);
    payload.app_permissions = world.botPermissions(channel.id).toString();
  } else payload.app_permissions = "0";
  if (channel?.guildId) {
    payload.guild_id = channel.guildId;
    payload.guild = { id: channel.guildId, locale: "en-US", features: [] };
    payload.guild_locale = "en-US";
    payload.member = { ...apiMember(world, userId), permissions: world.memberPermissions(userId).toString() };
    payload.authorizing_integration_owners = { "0": channel.guildId };
    payload.context = 0;
  } else {
    payload.user = userById(world, userId);
    payload.authorizing_integration_owners = { "0": "0" };
    payload.context = 1;
  }
  if (context.data) payload.data = context.data;
  if (context.message) payload.message = apiMessage(world, context.message);
  return { id, token, payload };
}

/**
 * `data` of a chat-input command `/name sub opt:value`: option types come from the registered command
 * when there is one (so an integer option is sent as 4), else from the JavaScript value.
 */
export function commandData(
  world: DiscordWorld,
  name: string,
  subcommand: string | undefined,
  options: Record<string, OptionValue>,
  guildId: string | undefined,
): Record<string, unknown> {
  const registered =
    (guildId ? world.commands.get(guildId) : undefined)?.find((command) => command.name === name) ??
    world.commands.get("global")?.find((command) => command.name === name);
  const declared = (registered?.options ?? []) as {
    name: string;
    type: number;
    options?: { name: string; type: number }[];
  }[];
  const subDeclared = subcommand ? declared.find((option) => option.name === subcommand)?.options : declared;
  const values = Object.entries(options).map(([optionName, value]) => ({
    name: optionName,
    type: subDeclared?.find((option) => option.name === optionName)?.type ?? inferType(value),
    value,
  }));
  return {
    id: registered?.id ?? world.nextId(),
    name,
    type: 1,
    ...(guildId && registered?.guild_id ? { guild_id: guildId } : {}),
    options: subcommand ? [{ type: 1, name: subcommand, options: values }] : values,
  };
}

function inferType(value: OptionValue): number {
  if (typeof value === "boolean") return 5;
  if (typeof value === "number") return Number.isInteger(value) ? 4 : 10;
  return 3;
}

/** `data` of a modal submission: one action row per text input, as Discord sends them back. */
export function modalData(customId: string, fields: Record<string, string>): Record<string, unknown> {
  return {
    custom_id: customId,
    components: Object.entries(fields).map(([id, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id: id, value }],
    })),
  };
}

/** The component a custom id names in a message, for `component_type` (2 button, 3 string select ...). */
export function componentType(message: EmulatedMessage, customId: string): number | undefined {
  const stack = [...(message.components as Record<string, unknown>[])];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>;
    if (node.custom_id === customId) return node.type as number;
    if (Array.isArray(node.components)) stack.push(...(node.components as Record<string, unknown>[]));
    if (node.accessory) stack.push(node.accessory as Record<string, unknown>);
  }
  return undefined;
}
