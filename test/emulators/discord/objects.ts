import { BOSS, BOT_USER_ID, type UserFixture } from "./fixtures.js";
import {
  CHANNEL_TYPE,
  type DiscordWorld,
  type EmulatedAttachment,
  type EmulatedChannel,
  type EmulatedMessage,
  PERMISSION,
} from "./state.js";

/**
 * The emulated world in Discord's wire shapes (API v10 objects): what REST answers and the gateway
 * dispatches. discord.js builds its cache from these, so every field it reads unconditionally is present.
 */
export type ApiObject = Record<string, unknown>;

export function apiUser(user: UserFixture): ApiObject {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName,
    discriminator: "0",
    avatar: null,
    bot: user.bot ?? false,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    primary_guild: null,
  };
}

export function unknownUser(id: string): ApiObject {
  return apiUser({
    id,
    username: `user-${id.slice(-4)}`,
    globalName: `user ${id.slice(-4)}`,
    locale: "en-US",
    roles: [],
  });
}

export function userById(world: DiscordWorld, id: string): ApiObject {
  const user = world.user(id);
  return user ? apiUser(user) : unknownUser(id);
}

/** A guild member; `withUser: false` gives the partial member MESSAGE_CREATE carries beside `author`. */
export function apiMember(world: DiscordWorld, userId: string, withUser = true): ApiObject {
  const user = world.user(userId);
  const member: ApiObject = {
    roles: user?.roles ?? [],
    nick: null,
    avatar: null,
    banner: null,
    joined_at: new Date(world.guildJoinedAt).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
  if (withUser) member.user = userById(world, userId);
  return member;
}

export function apiRoles(world: DiscordWorld): ApiObject[] {
  return world.roles.map((role) => ({
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: false,
    flags: 0,
    ...(role.managed ? { tags: { bot_id: BOT_USER_ID } } : {}),
  }));
}

/** The bot's denials in a text channel become a member overwrite, so discord.js's permissionsFor agrees. */
function permissionOverwrites(channel: EmulatedChannel): ApiObject[] {
  let deny = 0n;
  if (!channel.botPermissions.send) deny |= PERMISSION.sendMessages;
  if (!channel.botPermissions.createThreads)
    deny |= PERMISSION.createPublicThreads | PERMISSION.createPrivateThreads;
  if (!channel.botPermissions.sendInThreads) deny |= PERMISSION.sendMessagesInThreads;
  return deny === 0n ? [] : [{ id: BOT_USER_ID, type: 1, allow: "0", deny: deny.toString() }];
}

export function apiChannel(world: DiscordWorld, channel: EmulatedChannel): ApiObject {
  const last = world.messages(channel.id).at(-1)?.id ?? null;
  if (channel.type === CHANNEL_TYPE.dm) {
    return {
      id: channel.id,
      type: channel.type,
      last_message_id: last,
      flags: 0,
      recipients: channel.recipientId ? [userById(world, channel.recipientId)] : [],
    };
  }
  const base: ApiObject = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    last_message_id: last,
    rate_limit_per_user: 0,
    flags: 0,
  };
  if (world.isThread(channel)) {
    const count = world.messages(channel.id).length;
    return {
      ...base,
      parent_id: channel.parentId,
      owner_id: channel.ownerId,
      message_count: count,
      total_message_sent: count,
      member_count: 2,
      thread_metadata: {
        archived: false,
        auto_archive_duration: channel.autoArchiveMinutes,
        archive_timestamp: new Date(channel.createdAt).toISOString(),
        locked: false,
        create_timestamp: new Date(channel.createdAt).toISOString(),
      },
    };
  }
  return {
    ...base,
    position: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    permission_overwrites: permissionOverwrites(channel),
    default_auto_archive_duration: channel.autoArchiveMinutes,
  };
}

export function apiGuild(world: DiscordWorld): ApiObject {
  const guildChannels = [...world.channels.values()].filter((channel) => channel.guildId === world.guildId);
  const members = [...world.users.values()].map((user) => apiMember(world, user.id));
  return {
    id: world.guildId,
    name: world.guildName,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: BOSS.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: "en-US",
    nsfw_level: 0,
    max_members: 500_000,
    max_video_channel_users: 25,
    roles: apiRoles(world),
    emojis: [],
    stickers: [],
    // GUILD_CREATE's extra fields.
    joined_at: new Date(world.guildJoinedAt).toISOString(),
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels: guildChannels
      .filter((channel) => !world.isThread(channel))
      .map((channel) => apiChannel(world, channel)),
    threads: guildChannels
      .filter((channel) => world.isThread(channel))
      .map((channel) => apiChannel(world, channel)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function apiAttachment(attachment: EmulatedAttachment): ApiObject {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    url: attachment.url,
    proxy_url: attachment.url,
    ...(attachment.contentType ? { content_type: attachment.contentType } : {}),
    ...(attachment.description ? { description: attachment.description } : {}),
  };
}

/** A message as REST returns it; `forGateway` adds what MESSAGE_CREATE carries (guild_id, member). */
export function apiMessage(world: DiscordWorld, message: EmulatedMessage, forGateway = false): ApiObject {
  const channel = world.channel(message.channelId);
  const api: ApiObject = {
    id: message.id,
    type: message.type,
    channel_id: message.channelId,
    author: userById(world, message.authorId),
    content: message.content,
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt ? new Date(message.editedAt).toISOString() : null,
    tts: false,
    mention_everyone: message.mentionEveryone,
    mentions: message.mentions.map((id) => ({
      ...userById(world, id),
      ...(message.guildId ? { member: apiMember(world, id, false) } : {}),
    })),
    mention_roles: message.mentionRoles,
    attachments: message.attachments.map(apiAttachment),
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    flags: message.flags,
  };
  if (message.webhookId) {
    api.webhook_id = message.webhookId;
    api.application_id = world.applicationId;
  }
  if (message.reference) {
    api.message_reference = { type: 0, ...message.reference };
    const referenced = world.message(message.reference.message_id);
    api.referenced_message = referenced ? apiMessage(world, referenced) : null;
  }
  if (message.threadId) {
    const thread = world.channel(message.threadId);
    if (thread) api.thread = apiChannel(world, thread);
  }
  if (forGateway && message.guildId) {
    api.guild_id = message.guildId;
    if (!message.webhookId) api.member = apiMember(world, message.authorId, false);
  }
  if (forGateway && channel) api.channel_type = channel.type;
  return api;
}

/** READY's payload: the bot, its one guild (unavailable until GUILD_CREATE), and where to resume. */
export function apiReady(
  world: DiscordWorld,
  sessionId: string,
  resumeUrl: string,
  shard: [number, number],
): ApiObject {
  return {
    v: 10,
    user_settings: {},
    user: { ...userById(world, world.botUserId), verified: true, mfa_enabled: false },
    guilds: [{ id: world.guildId, unavailable: true }],
    session_id: sessionId,
    session_type: "normal",
    resume_gateway_url: resumeUrl,
    shard,
    // GATEWAY_MESSAGE_CONTENT_LIMITED: an unverified app with the intent switched on.
    application: { id: world.applicationId, flags: 1 << 19 },
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: [],
    auth: {},
    _trace: ["emulator"],
  };
}
