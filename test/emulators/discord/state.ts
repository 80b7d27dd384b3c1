import {
  APPLICATION_ID,
  APPROVER_ROLE,
  BOT_ROLE,
  BOT_USER_ID,
  DMS,
  GENERAL,
  GUILD_ID,
  LOCKED,
  RANDOM,
  USERS,
  type UserFixture,
} from "./fixtures.js";

/**
 * The emulated guild as Discord would hold it: channels (text, DMs, threads), members and roles, every
 * message with its edit history and attachment bytes, and the registered application commands. Tests read
 * it to check what a person would see; REST handlers and the gateway change it.
 */
export const CHANNEL_TYPE = { text: 0, dm: 1, publicThread: 11, privateThread: 12 } as const;

export const PERMISSION = {
  addReactions: 1n << 6n,
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  embedLinks: 1n << 14n,
  attachFiles: 1n << 15n,
  readMessageHistory: 1n << 16n,
  useApplicationCommands: 1n << 31n,
  createPublicThreads: 1n << 35n,
  createPrivateThreads: 1n << 36n,
  sendMessagesInThreads: 1n << 38n,
} as const;

const EVERYONE_PERMISSIONS =
  PERMISSION.viewChannel |
  PERMISSION.sendMessages |
  PERMISSION.addReactions |
  PERMISSION.embedLinks |
  PERMISSION.attachFiles |
  PERMISSION.readMessageHistory |
  PERMISSION.useApplicationCommands |
  PERMISSION.createPublicThreads |
  PERMISSION.sendMessagesInThreads;

export interface EmulatedRole {
  id: string;
  name: string;
  permissions: bigint;
  managed: boolean;
  position: number;
}

/** What the bot may do in one channel (Discord: permission overwrites on its member); a thread inherits its parent's. */
export interface ChannelPermissions {
  send: boolean;
  createThreads: boolean;
  sendInThreads: boolean;
}

export interface EmulatedChannel {
  id: string;
  type: number;
  name: string;
  guildId: string | undefined;
  /** Threads: the text channel they hang off. */
  parentId: string | undefined;
  /** DMs: the person on the other side. */
  recipientId: string | undefined;
  ownerId: string | undefined;
  /** Threads made from a message carry that message's id (which is also their own id). */
  starterMessageId: string | undefined;
  autoArchiveMinutes: number;
  createdAt: number;
  /** Only meaningful for guild text channels. */
  botPermissions: ChannelPermissions;
}

export interface EmulatedAttachment {
  id: string;
  filename: string;
  contentType: string | undefined;
  size: number;
  data: Buffer;
  description: string | undefined;
  url: string;
}

export interface MessageRevision {
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: string[];
  at: number;
}

export interface EmulatedMessage {
  id: string;
  channelId: string;
  guildId: string | undefined;
  authorId: string;
  /** 0 default, 19 reply, 20 chat-input command response, 7 member join, 6 pin ... */
  type: number;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: EmulatedAttachment[];
  /** 64 ephemeral, 128 loading ("is thinking"), 4 suppress embeds, 4096 silent ... */
  flags: number;
  mentions: string[];
  mentionRoles: string[];
  mentionEveryone: boolean;
  allowedMentions: unknown;
  reference: { message_id: string; channel_id: string; guild_id?: string } | undefined;
  /** Set when posted through an interaction's webhook (responses and follow-ups). */
  webhookId: string | undefined;
  interactionId: string | undefined;
  /** The thread started from this message, if any. */
  threadId: string | undefined;
  createdAt: number;
  editedAt: number | undefined;
  /** Earlier versions, oldest first. */
  revisions: MessageRevision[];
}

export interface StoredCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  version: string;
  [key: string]: unknown;
}

const DISCORD_EPOCH = 1_420_070_400_000n;

export class DiscordWorld {
  readonly applicationId = APPLICATION_ID;
  readonly botUserId = BOT_USER_ID;
  readonly guildId = GUILD_ID;
  readonly guildName = "Octo Test Server";
  readonly users = new Map<string, UserFixture>();
  readonly roles: EmulatedRole[];
  readonly channels = new Map<string, EmulatedChannel>();
  readonly guildJoinedAt = Date.now() - 86_400_000;
  private readonly messagesByChannel = new Map<string, EmulatedMessage[]>();
  private readonly messagesById = new Map<string, EmulatedMessage>();
  readonly attachments = new Map<string, EmulatedAttachment>();
  /** Keyed by "global" or a guild id. */
  readonly commands = new Map<string, StoredCommand[]>();
  private increment = 0n;

  constructor() {
    for (const user of USERS) this.users.set(user.id, user);
    this.roles = [
      { id: GUILD_ID, name: "@everyone", permissions: EVERYONE_PERMISSIONS, managed: false, position: 0 },
      { id: APPROVER_ROLE, name: "approvers", permissions: 0n, managed: false, position: 1 },
      { id: BOT_ROLE, name: "Octostrator", permissions: EVERYONE_PERMISSIONS, managed: true, position: 2 },
    ];
    this.seedChannels();
  }

  /** Real snowflakes: creation time in the high bits, so discord.js's timestamps come out right. */
  nextId(): string {
    this.increment = (this.increment + 1n) & 0xfffn;
    const time = BigInt(Date.now()) - DISCORD_EPOCH;
    return ((time << 22n) | (1n << 17n) | this.increment).toString();
  }

  user(id: string): UserFixture | undefined {
    return this.users.get(id);
  }

  channel(id: string): EmulatedChannel | undefined {
    return this.channels.get(id);
  }

  isThread(channel: EmulatedChannel): boolean {
    return channel.type === CHANNEL_TYPE.publicThread || channel.type === CHANNEL_TYPE.privateThread;
  }

  /** The guild text channel whose permissions apply (a thread's parent, or the channel itself). */
  permissionChannel(channel: EmulatedChannel): EmulatedChannel {
    return this.isThread(channel) && channel.parentId
      ? (this.channels.get(channel.parentId) ?? channel)
      : channel;
  }

  /** The bot's effective permissions in a channel, as `app_permissions` and permission checks see them. */
  botPermissions(channelId: string): bigint {
    const channel = this.channels.get(channelId);
    let permissions = this.roles
      .filter((role) => role.id === GUILD_ID || role.id === BOT_ROLE)
      .reduce((all, role) => all | role.permissions, 0n);
    if (!channel?.guildId) return permissions;
    const allowed = this.permissionChannel(channel).botPermissions;
    if (!allowed.send) permissions &= ~PERMISSION.sendMessages;
    if (!allowed.createThreads)
      permissions &= ~(PERMISSION.createPublicThreads | PERMISSION.createPrivateThreads);
    if (!allowed.sendInThreads) permissions &= ~PERMISSION.sendMessagesInThreads;
    return permissions;
  }

  /** A person's permissions (members' `permissions` in interactions). */
  memberPermissions(userId: string): bigint {
    const roles = new Set([GUILD_ID, ...(this.users.get(userId)?.roles ?? [])]);
    return this.roles.filter((role) => roles.has(role.id)).reduce((all, role) => all | role.permissions, 0n);
  }

  addChannel(
    channel: Omit<EmulatedChannel, "createdAt" | "botPermissions"> & Partial<EmulatedChannel>,
  ): EmulatedChannel {
    const full: EmulatedChannel = {
      createdAt: Date.now(),
      botPermissions: { send: true, createThreads: true, sendInThreads: true },
      ...channel,
    };
    this.channels.set(full.id, full);
    return full;
  }

  threads(): EmulatedChannel[] {
    return [...this.channels.values()].filter((channel) => this.isThread(channel));
  }

  addMessage(message: EmulatedMessage): EmulatedMessage {
    const list = this.messagesByChannel.get(message.channelId) ?? [];
    list.push(message);
    this.messagesByChannel.set(message.channelId, list);
    this.messagesById.set(message.id, message);
    for (const attachment of message.attachments) this.attachments.set(attachment.id, attachment);
    return message;
  }

  message(id: string): EmulatedMessage | undefined {
    return this.messagesById.get(id);
  }

  messages(channelId: string): EmulatedMessage[] {
    return [...(this.messagesByChannel.get(channelId) ?? [])];
  }

  deleteMessage(id: string): boolean {
    const message = this.messagesById.get(id);
    if (!message) return false;
    this.messagesById.delete(id);
    const list = this.messagesByChannel.get(message.channelId) ?? [];
    this.messagesByChannel.set(
      message.channelId,
      list.filter((other) => other.id !== id),
    );
    return true;
  }

  /** Applies an edit, keeping the previous version in `revisions`. */
  edit(
    message: EmulatedMessage,
    change: Partial<
      Pick<EmulatedMessage, "content" | "embeds" | "components" | "attachments" | "flags" | "allowedMentions">
    >,
  ): void {
    message.revisions.push({
      content: message.content,
      embeds: message.embeds,
      components: message.components,
      attachments: message.attachments.map((attachment) => attachment.filename),
      at: message.editedAt ?? message.createdAt,
    });
    Object.assign(message, change, { editedAt: Date.now() });
    for (const attachment of message.attachments) this.attachments.set(attachment.id, attachment);
  }

  /** Forgets messages, threads, attachments and commands; the seeded channels and people stay. */
  reset(): void {
    this.messagesByChannel.clear();
    this.messagesById.clear();
    this.attachments.clear();
    this.commands.clear();
    this.channels.clear();
    this.seedChannels();
  }

  private seedChannels(): void {
    for (const fixture of [GENERAL, RANDOM, LOCKED]) {
      this.addChannel({
        id: fixture.id,
        type: CHANNEL_TYPE.text,
        name: fixture.name,
        guildId: GUILD_ID,
        parentId: undefined,
        recipientId: undefined,
        ownerId: undefined,
        starterMessageId: undefined,
        autoArchiveMinutes: 1440,
        botPermissions:
          fixture === LOCKED
            ? { send: false, createThreads: false, sendInThreads: false }
            : { send: true, createThreads: true, sendInThreads: true },
      });
    }
    for (const dm of Object.values(DMS)) {
      this.addChannel({
        id: dm.id,
        type: CHANNEL_TYPE.dm,
        name: dm.name,
        guildId: undefined,
        parentId: undefined,
        recipientId: dm.recipient,
        ownerId: undefined,
        starterMessageId: undefined,
        autoArchiveMinutes: 0,
      });
    }
  }
}
