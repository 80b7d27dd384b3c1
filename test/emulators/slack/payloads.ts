import { randomUUID } from "node:crypto";
import { fileObject } from "./files.js";
import type { AssistantContext, EmulatedFile, EmulatedMessage, EmulatedView, Workspace } from "./state.js";

/**
 * Builders for what Slack sends an app, shaped like the real payloads (docs.slack.dev: Events API
 * `event_callback`, slash command form fields, `block_actions` and `view_submission` interactions).
 * Messages people "write" are recorded in the workspace so threads look as they would in Slack.
 */
export interface EventCallback {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown>;
  type: "event_callback";
  event_id: string;
  event_time: number;
  authorizations: Record<string, unknown>[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

export interface BuiltEvent {
  body: EventCallback;
  eventId: string;
  ts: string;
  channel: string;
  /** The thread the message belongs to (its own ts when it starts one). */
  threadTs: string;
}

const VERIFICATION_TOKEN = "emulator-verification-token";

/** Subtypes that are still a new message someone wrote. */
const NEW_MESSAGE_SUBTYPES = new Set(["file_share", "thread_broadcast"]);

export class PayloadFactory {
  constructor(
    private readonly workspace: Workspace,
    /** The emulator's origin: response_url webhooks point back at it. */
    private readonly origin: () => string,
  ) {}

  private get seed() {
    return this.workspace.seed;
  }

  /**
   * A file a person shares, kept in the workspace so its `url_private_download` serves it; pass the
   * returned file object in a message's `files`. `size` makes the object claim another size.
   */
  userFile(input: {
    user: string;
    name: string;
    content: string | Buffer;
    mimetype?: string;
    size?: number;
  }): Record<string, unknown> {
    const data = typeof input.content === "string" ? Buffer.from(input.content, "utf8") : input.content;
    const file: EmulatedFile = {
      id: this.workspace.nextId("F"),
      filename: input.name,
      length: data.length,
      altText: undefined,
      data,
      title: input.name,
      created: Math.floor(Date.now() / 1000),
      user: input.user,
      mimetype: input.mimetype,
      declaredSize: input.size,
      channel: undefined,
      threadTs: undefined,
      initialComment: undefined,
    };
    this.workspace.files.set(file.id, file);
    return fileObject(file, {
      origin: this.origin(),
      teamId: this.seed.teamId,
      botUserId: this.seed.botUserId,
    });
  }

  /** A person mentions the app (`app_mention`); `<@bot>` is prepended unless the text has it. */
  mention(input: {
    user: string;
    channel: string;
    text: string;
    threadTs?: string;
    files?: Record<string, unknown>[];
  }): BuiltEvent {
    const mention = `<@${this.seed.botUserId}>`;
    const text = input.text.includes(mention) ? input.text : `${mention} ${input.text}`;
    return this.userMessage("app_mention", { ...input, text });
  }

  /**
   * A plain `message` event: a DM (channel type `im`), a channel or private channel (`group`) message,
   * or a thread reply. With files and no subtype it is a `file_share`, as Slack sends it.
   */
  message(input: {
    user: string;
    channel: string;
    text: string;
    threadTs?: string;
    subtype?: string;
    botId?: string;
    files?: Record<string, unknown>[];
  }): BuiltEvent {
    const subtype = input.subtype ?? (input.files?.length ? "file_share" : undefined);
    return this.userMessage("message", { ...input, ...(subtype ? { subtype } : {}) });
  }

  /** The same event delivered again, as Slack does on retries: same `event_id`, nothing new recorded. */
  redelivery(event: BuiltEvent): BuiltEvent {
    return { ...event, body: structuredClone(event.body) };
  }

  /** Form fields of a slash command invocation. */
  command(input: { user: string; channel: string; text: string; command?: string }): Record<string, string> {
    const user = this.workspace.user(input.user);
    const channel = this.seed.channels.find((c) => c.id === input.channel);
    return {
      token: VERIFICATION_TOKEN,
      team_id: this.seed.teamId,
      team_domain: this.seed.teamDomain,
      channel_id: input.channel,
      channel_name: channel?.isIm ? "directmessage" : (channel?.name ?? "unknown"),
      user_id: input.user,
      user_name: user?.name ?? input.user,
      command: input.command ?? "/octo",
      text: input.text,
      api_app_id: this.seed.appId,
      is_enterprise_install: "false",
      response_url: `${this.origin()}/response/${this.workspace.nextId("R")}`,
      trigger_id: this.workspace.issueTrigger(input.user),
    };
  }

  /** A click on a button of `message` (found by `actionId` in its current blocks). */
  blockAction(input: { user: string; message: EmulatedMessage; actionId: string; value?: string }) {
    const element = findActionElement(input.message, input.actionId);
    if (!element && input.value === undefined) {
      throw new Error(`message ${input.message.ts} has no element with action_id ${input.actionId}`);
    }
    const user = this.workspace.user(input.user);
    const channel = this.seed.channels.find((c) => c.id === input.message.channel);
    return {
      type: "block_actions",
      user: {
        id: input.user,
        username: user?.name ?? input.user,
        name: user?.name,
        team_id: this.seed.teamId,
      },
      api_app_id: this.seed.appId,
      token: VERIFICATION_TOKEN,
      container: {
        type: "message",
        message_ts: input.message.ts,
        channel_id: input.message.channel,
        is_ephemeral: false,
        thread_ts: input.message.threadTs,
      },
      trigger_id: this.workspace.issueTrigger(input.user),
      team: { id: this.seed.teamId, domain: this.seed.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: input.message.channel, name: channel?.name ?? "unknown" },
      message: {
        type: "message",
        user: this.seed.botUserId,
        bot_id: input.message.botId,
        text: input.message.text,
        blocks: input.message.blocks,
        ts: input.message.ts,
        thread_ts: input.message.threadTs,
      },
      state: { values: {} },
      response_url: `${this.origin()}/response/${this.workspace.nextId("R")}`,
      actions: [
        {
          action_id: input.actionId,
          block_id: typeof element?.blockId === "string" ? element.blockId : "actions",
          text: element?.text ?? { type: "plain_text", text: input.actionId },
          value: input.value ?? element?.value,
          type: "button",
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
  }

  /**
   * A click on 👍 (`positive`) or 👎 of the feedback buttons with `actionId` in `message`: a
   * `block_actions` payload whose action is of type `feedback_buttons` and carries the clicked
   * button's value, as Slack sends it.
   */
  feedbackClick(input: {
    user: string;
    message: EmulatedMessage;
    actionId: string;
    button: "positive" | "negative";
  }) {
    const found = findFeedbackButtons(input.message, input.actionId);
    if (!found) throw new Error(`message ${input.message.ts} has no feedback buttons ${input.actionId}`);
    const button = found.element[`${input.button}_button`] as { text?: unknown; value?: unknown };
    const click = this.blockAction({
      user: input.user,
      message: input.message,
      actionId: input.actionId,
      value: typeof button.value === "string" ? button.value : "",
    });
    return {
      ...click,
      actions: [
        {
          type: "feedback_buttons",
          action_id: input.actionId,
          block_id: typeof found.blockId === "string" ? found.blockId : "context_actions",
          text: button.text,
          value: button.value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
  }

  /**
   * Submission of an opened modal. `values` maps an input's action_id to the typed text; by default the
   * first plain-text input gets `text`.
   */
  viewSubmission(input: {
    user: string;
    view: EmulatedView;
    values?: Record<string, string>;
    text?: string;
  }) {
    const stateValues: Record<string, Record<string, { type: string; value: string }>> = {};
    const blocks = Array.isArray(input.view.view.blocks)
      ? (input.view.view.blocks as Record<string, unknown>[])
      : [];
    let filledDefault = false;
    for (const block of blocks) {
      if (block.type !== "input") continue;
      const element = block.element as { type?: string; action_id?: string } | undefined;
      if (!element?.action_id || typeof block.block_id !== "string") continue;
      let value = input.values?.[element.action_id];
      if (
        value === undefined &&
        input.text !== undefined &&
        !filledDefault &&
        element.type === "plain_text_input"
      ) {
        value = input.text;
        filledDefault = true;
      }
      if (value === undefined) continue;
      stateValues[block.block_id] = {
        [element.action_id]: { type: element.type ?? "plain_text_input", value },
      };
    }
    const user = this.workspace.user(input.user);
    return {
      type: "view_submission",
      team: { id: this.seed.teamId, domain: this.seed.teamDomain },
      user: {
        id: input.user,
        username: user?.name ?? input.user,
        name: user?.name,
        team_id: this.seed.teamId,
      },
      api_app_id: this.seed.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: this.workspace.issueTrigger(input.user),
      view: {
        ...input.view.view,
        id: input.view.id,
        team_id: this.seed.teamId,
        app_id: this.seed.appId,
        bot_id: this.seed.botId,
        hash: `${Date.now()}.hash`,
        state: { values: stateValues },
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  private userMessage(
    type: "app_mention" | "message",
    input: {
      user: string;
      channel: string;
      text: string;
      threadTs?: string;
      subtype?: string;
      botId?: string;
      files?: Record<string, unknown>[];
    },
  ): BuiltEvent {
    const ts = this.workspace.nextTs();
    const channel = this.seed.channels.find((c) => c.id === input.channel);
    const event: Record<string, unknown> = {
      type,
      user: input.user,
      text: input.text,
      ts,
      channel: input.channel,
      event_ts: ts,
      team: this.seed.teamId,
      client_msg_id: randomUUID(),
    };
    if (input.threadTs) event.thread_ts = input.threadTs;
    if (type === "message")
      event.channel_type = channel?.isIm ? "im" : channel?.isPrivate ? "group" : "channel";
    if (input.subtype) event.subtype = input.subtype;
    if (input.botId) event.bot_id = input.botId;
    if (input.files?.length) event.files = input.files;
    // Subtypes other than these are about existing messages (edits, deletions) or channel events.
    if (!input.subtype || NEW_MESSAGE_SUBTYPES.has(input.subtype)) {
      this.workspace.add({
        channel: input.channel,
        ts,
        threadTs: input.threadTs,
        user: input.user,
        botId: input.botId,
        text: input.text,
        blocks: undefined,
        revisions: [],
      });
    }
    return { ts, channel: input.channel, threadTs: input.threadTs ?? ts, ...this.callback(event) };
  }

  /** The Events API envelope around `event`, with a fresh event id. */
  private callback(event: Record<string, unknown>): { eventId: string; body: EventCallback } {
    const eventId = this.workspace.nextId("Ev");
    return {
      eventId,
      body: {
        token: VERIFICATION_TOKEN,
        team_id: this.seed.teamId,
        api_app_id: this.seed.appId,
        event,
        type: "event_callback",
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          {
            enterprise_id: null,
            team_id: this.seed.teamId,
            user_id: this.seed.botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
        event_context: `4-${eventId}`,
      },
    };
  }

  /**
   * A person opens the assistant panel (or starts a new chat): Slack makes the thread's root message
   * in their DM with the app (subtype `assistant_app_thread`) and sends `assistant_thread_started` with
   * the channel they were looking at as its context.
   */
  assistantThreadStarted(input: { user: string; channel: string; context?: AssistantContext }): BuiltEvent {
    const ts = this.workspace.nextTs();
    this.workspace.add({
      channel: input.channel,
      ts,
      threadTs: undefined,
      user: input.user,
      botId: undefined,
      text: "New chat",
      blocks: undefined,
      revisions: [],
    });
    const state = this.workspace.assistantStateOf(input.channel, ts);
    state.user = input.user;
    state.context = input.context ?? {};
    return {
      ts,
      channel: input.channel,
      threadTs: ts,
      ...this.callback(this.assistantEvent("assistant_thread_started", { ...input, threadTs: ts })),
    };
  }

  /** The person, panel open, moved to another channel: `assistant_thread_context_changed`. */
  assistantContextChanged(input: {
    user: string;
    channel: string;
    threadTs: string;
    context: AssistantContext;
  }): BuiltEvent {
    this.workspace.assistantStateOf(input.channel, input.threadTs).context = input.context;
    return {
      ts: input.threadTs,
      channel: input.channel,
      threadTs: input.threadTs,
      ...this.callback(this.assistantEvent("assistant_thread_context_changed", input)),
    };
  }

  private assistantEvent(
    type: string,
    input: { user: string; channel: string; threadTs: string; context?: AssistantContext },
  ): Record<string, unknown> {
    return {
      type,
      assistant_thread: {
        user_id: input.user,
        context: { team_id: this.seed.teamId, enterprise_id: null, ...input.context },
        channel_id: input.channel,
        thread_ts: input.threadTs,
      },
      event_ts: this.workspace.nextTs(),
    };
  }
}

interface FoundElement {
  blockId: unknown;
  text: unknown;
  value: string | undefined;
}

/** The interactive element with `actionId` anywhere in a message's blocks (actions blocks, accessories). */
export function findActionElement(message: EmulatedMessage, actionId: string): FoundElement | undefined {
  for (const block of (message.blocks ?? []) as Record<string, unknown>[]) {
    const candidates = [
      ...(Array.isArray(block.elements) ? (block.elements as Record<string, unknown>[]) : []),
      ...(block.accessory ? [block.accessory as Record<string, unknown>] : []),
    ];
    for (const element of candidates) {
      if (element.action_id === actionId) {
        return {
          blockId: block.block_id,
          text: element.text,
          value: typeof element.value === "string" ? element.value : undefined,
        };
      }
    }
  }
  return undefined;
}

/** The feedback_buttons element with `actionId` in a message's context_actions blocks. */
function findFeedbackButtons(
  message: EmulatedMessage,
  actionId: string,
): { blockId: unknown; element: Record<string, unknown> } | undefined {
  for (const block of (message.blocks ?? []) as Record<string, unknown>[]) {
    if (block.type !== "context_actions" || !Array.isArray(block.elements)) continue;
    for (const element of block.elements as Record<string, unknown>[]) {
      if (element.type === "feedback_buttons" && element.action_id === actionId)
        return { blockId: block.block_id, element };
    }
  }
  return undefined;
}
