/**
 * The emulated workspace: one team, its users and channels, and everything the app posted (messages with
 * their edit history, ephemerals, modals, files). Tests read it to check what a person would see.
 */
export interface WorkspaceSeed {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  botId: string;
  users: { id: string; name: string; locale?: string }[];
  /** `isPrivate`: a private channel, whose messages arrive as `message.groups` (channel_type `group`). */
  channels: { id: string; name: string; isIm?: boolean; isPrivate?: boolean }[];
  /** User groups (`S…`) and their members, as `usergroups.users.list` reports them. */
  usergroups: { id: string; handle: string; users: string[] }[];
  /**
   * The app has Slack's "Agents & AI Apps" feature turned on, which the streaming methods
   * (chat.startStream ...) need. Off by default, as for an app made from our manifest without it: those
   * methods then answer `feature_not_enabled`, and the bot falls back to its progress card.
   */
  aiApps?: boolean;
}

export const DEFAULT_SEED: WorkspaceSeed = {
  teamId: "T0OCTO",
  teamDomain: "octo-test",
  appId: "A0OCTO",
  botUserId: "U0OCTOBOT",
  botId: "B0OCTOBOT",
  users: [
    { id: "U0ALICE", name: "alice", locale: "en-US" },
    { id: "U0BOB", name: "bob", locale: "en-US" },
    { id: "U0MINJI", name: "minji", locale: "ko-KR" },
  ],
  channels: [
    { id: "C0GENERAL", name: "general" },
    { id: "C0RANDOM", name: "random" },
    { id: "C0SECRET", name: "secret", isPrivate: true },
    { id: "D0ALICE", name: "alice", isIm: true },
  ],
  usergroups: [],
};

export interface MessageRevision {
  text: string;
  blocks: unknown[] | undefined;
}

export interface EmulatedMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  /** Set for people; messages by the app carry botId instead. */
  user: string | undefined;
  botId: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  /** Earlier versions, oldest first; empty when never updated. */
  revisions: MessageRevision[];
  /** Set for a message the app streamed (chat.startStream); `text` and `blocks` are what it shows. */
  stream?: EmulatedStream;
}

/** A task card in a streamed message, with every status it was given, in order. */
export interface EmulatedTask {
  id: string;
  title: string;
  status: "pending" | "in_progress" | "complete" | "error";
  details?: string;
  output?: string;
  sources?: { type: "url"; url: string; text: string }[];
  statuses: string[];
}

export interface EmulatedStream {
  state: "streaming" | "stopped";
  /** How it was started, which every later write must match (Slack: `streaming_mode_mismatch`). */
  mode: "chunks" | "markdown_text";
  taskDisplayMode: "timeline" | "plan";
  recipient: { user: string | undefined; team: string | undefined };
  planTitle: string | undefined;
  /** In the order they first appeared. */
  tasks: EmulatedTask[];
  /** The blocks chat.stopStream added at the end. */
  closingBlocks: unknown[];
}

export interface EmulatedEphemeral {
  channel: string;
  user: string;
  threadTs: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  messageTs: string;
}

export interface EmulatedFile {
  id: string;
  filename: string;
  length: number;
  altText: string | undefined;
  data: Buffer | undefined;
  title: string | undefined;
  /** Unix seconds. */
  created: number;
  /** The person who shared it; undefined for files the app uploaded. */
  user: string | undefined;
  /** As Slack guessed it; undefined means from the file name. */
  mimetype: string | undefined;
  /** A size the file object claims instead of the real one (tests of a lying or stale size). */
  declaredSize: number | undefined;
  /** Where it was shared by files.completeUploadExternal; undefined while only uploaded. */
  channel: string | undefined;
  threadTs: string | undefined;
  initialComment: string | undefined;
}

export interface EmulatedView {
  id: string;
  triggerId: string;
  user: string | undefined;
  view: Record<string, unknown>;
}

/** The context a person's assistant panel reports: the channel they are looking at. */
export interface AssistantContext {
  channel_id?: string;
  team_id?: string;
  enterprise_id?: string | null;
}

/**
 * An assistant thread in a DM with the app, and what the app set on it: the status as it is now (empty
 * when cleared) and every one it showed, the title, the suggested prompts.
 */
export interface EmulatedAssistantThread {
  channel: string;
  threadTs: string;
  user: string;
  context: AssistantContext;
  status: string;
  statuses: string[];
  title: string | undefined;
  prompts: { title: string | undefined; prompts: { title: string; message: string }[] } | undefined;
}

export interface TriggerGrant {
  user: string;
  issuedAt: number;
  used: boolean;
}

export class Workspace {
  readonly messages: EmulatedMessage[] = [];
  /** Lookups by channel and ts stay cheap when a benchmark has posted thousands of messages. */
  private readonly byKey = new Map<string, EmulatedMessage>();
  private readonly threads = new Map<string, EmulatedMessage[]>();
  readonly ephemerals: EmulatedEphemeral[] = [];
  readonly files = new Map<string, EmulatedFile>();
  readonly views: EmulatedView[] = [];
  readonly triggers = new Map<string, TriggerGrant>();
  /** By `channel:thread_ts`. */
  readonly assistantThreads = new Map<string, EmulatedAssistantThread>();
  private counter = 0;
  private readonly epoch = Math.floor(Date.now() / 1000);

  constructor(readonly seed: WorkspaceSeed) {}

  /** Slack timestamps are unique per channel and sort in posting order; a global counter gives both. */
  nextTs(): string {
    this.counter += 1;
    return `${this.epoch + Math.floor(this.counter / 1_000_000)}.${String(this.counter % 1_000_000).padStart(6, "0")}`;
  }

  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(36).toUpperCase().padStart(8, "0")}`;
  }

  hasChannel(id: string): boolean {
    return this.seed.channels.some((channel) => channel.id === id);
  }

  /** A direct message with the app, where streams need no recipient. */
  isIm(id: string): boolean {
    return this.seed.channels.some((channel) => channel.id === id && channel.isIm === true);
  }

  user(id: string): WorkspaceSeed["users"][number] | undefined {
    return this.seed.users.find((user) => user.id === id);
  }

  usergroup(id: string): WorkspaceSeed["usergroups"][number] | undefined {
    return this.seed.usergroups.find((group) => group.id === id);
  }

  /** Records a new message (a person's or the app's). */
  add(message: EmulatedMessage): void {
    this.messages.push(message);
    this.byKey.set(`${message.channel}:${message.ts}`, message);
    const root = `${message.channel}:${message.threadTs ?? message.ts}`;
    const thread = this.threads.get(root) ?? [];
    thread.push(message);
    this.threads.set(root, thread);
  }

  /** Drops a finished thread and its messages: a long soak keeps the emulator's memory flat with it. */
  forgetThread(channel: string, threadTs: string): void {
    const thread = this.threads.get(`${channel}:${threadTs}`) ?? [];
    this.threads.delete(`${channel}:${threadTs}`);
    this.assistantThreads.delete(`${channel}:${threadTs}`);
    for (const [id, file] of this.files)
      if (file.channel === channel && file.threadTs === threadTs) this.files.delete(id);
    let ephemeralsKept = 0;
    for (const ephemeral of this.ephemerals)
      if (ephemeral.channel !== channel || ephemeral.threadTs !== threadTs)
        this.ephemerals[ephemeralsKept++] = ephemeral;
    this.ephemerals.length = ephemeralsKept;
    const gone = new Set(thread);
    for (const message of thread) this.byKey.delete(`${message.channel}:${message.ts}`);
    if (gone.size === 0) return;
    let kept = 0;
    for (const message of this.messages) if (!gone.has(message)) this.messages[kept++] = message;
    this.messages.length = kept;
  }

  message(channel: string, ts: string): EmulatedMessage | undefined {
    return this.byKey.get(`${channel}:${ts}`);
  }

  /** The root and its replies, in order, as they look now. */
  thread(channel: string, threadTs: string): EmulatedMessage[] {
    return [...(this.threads.get(`${channel}:${threadTs}`) ?? [])];
  }

  filesIn(channel: string, threadTs?: string): EmulatedFile[] {
    return [...this.files.values()].filter(
      (file) => file.channel === channel && (threadTs === undefined || file.threadTs === threadTs),
    );
  }

  assistantThread(channel: string, threadTs: string): EmulatedAssistantThread | undefined {
    return this.assistantThreads.get(`${channel}:${threadTs}`);
  }

  /** The thread's assistant state, made on first use (the app may set a status in any thread it knows). */
  assistantStateOf(channel: string, threadTs: string): EmulatedAssistantThread {
    const key = `${channel}:${threadTs}`;
    const known = this.assistantThreads.get(key);
    if (known) return known;
    const root = this.message(channel, threadTs);
    const made: EmulatedAssistantThread = {
      channel,
      threadTs,
      user: root?.user ?? "",
      context: {},
      status: "",
      statuses: [],
      title: undefined,
      prompts: undefined,
    };
    this.assistantThreads.set(key, made);
    return made;
  }

  issueTrigger(user: string): string {
    const id = `${this.counter + 1}.${Date.now()}.${this.nextId("")}`;
    this.triggers.set(id, { user, issuedAt: Date.now(), used: false });
    return id;
  }

  reset(): void {
    this.messages.length = 0;
    this.byKey.clear();
    this.threads.clear();
    this.ephemerals.length = 0;
    this.files.clear();
    this.views.length = 0;
    this.triggers.clear();
    this.assistantThreads.clear();
  }
}
