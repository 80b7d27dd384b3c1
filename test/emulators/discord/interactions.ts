import { INTERACTION_TYPE } from "./interaction-payloads.js";
import { createMessage, editMessage } from "./messages.js";
import { apiMessage } from "./objects.js";
import type { DiscordWorld, EmulatedMessage } from "./state.js";
import { checkMessage, checkModal, type DiscordError, formError, type UploadedFile } from "./validation.js";

/**
 * Interactions and their lifecycle as Discord enforces it: one initial response within the
 * acknowledgement deadline (3 s), of a type the interaction admits; then, until the token expires (15
 * min), edits of the original response and follow-ups through the interaction's webhook. The first
 * follow-up after a deferred response (type 5) replaces its "thinking" message, as Discord does.
 */
export const CALLBACK_TYPE = {
  pong: 1,
  channelMessage: 4,
  deferredChannelMessage: 5,
  deferredUpdateMessage: 6,
  updateMessage: 7,
  autocompleteResult: 8,
  modal: 9,
} as const;

const ALLOWED_CALLBACKS: Record<number, number[]> = {
  [INTERACTION_TYPE.ping]: [1],
  [INTERACTION_TYPE.applicationCommand]: [4, 5, 9],
  [INTERACTION_TYPE.messageComponent]: [4, 5, 6, 7, 9],
  [INTERACTION_TYPE.autocomplete]: [8],
  [INTERACTION_TYPE.modalSubmit]: [4, 5, 6, 7],
};

const FLAG_EPHEMERAL = 64;
const FLAG_LOADING = 128;

export interface InteractionCallback {
  type: number;
  data: unknown;
  files: UploadedFile[];
  status: number;
  /** `rest`: POST .../callback; `http-response`: the body answering Discord's HTTP POST. */
  via: "rest" | "http-response";
  at: number;
}

export interface EmulatedInteraction {
  id: string;
  token: string;
  type: number;
  channelId: string | undefined;
  userId: string | undefined;
  createdAt: number;
  /** How Discord delivered it. */
  deliveredVia: "gateway" | "http";
  payload: Record<string, unknown>;
  /** Component clicks (and modals opened from one): the message the component sits on. */
  sourceMessageId: string | undefined;
  callbacks: InteractionCallback[];
  /** The accepted initial response's type. */
  acknowledgedAs: number | undefined;
  originalMessageId: string | undefined;
  followUpIds: string[];
  /** The modal shown (response type 9). */
  modal: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export interface InteractionHost {
  world: DiscordWorld;
  origin: () => string;
  requireAllowedMentions: boolean;
  ackDeadlineMs: number;
  tokenTtlMs: number;
  created: (message: EmulatedMessage) => void;
  updated: (message: EmulatedMessage) => void;
}

const UNKNOWN_INTERACTION: Reply = { status: 404, body: { code: 10062, message: "Unknown interaction" } };
const ALREADY_ACKNOWLEDGED: Reply = {
  status: 400,
  body: { code: 40060, message: "Interaction has already been acknowledged." },
};
const UNKNOWN_WEBHOOK: Reply = { status: 404, body: { code: 10015, message: "Unknown Webhook" } };
const UNKNOWN_MESSAGE: Reply = { status: 404, body: { code: 10008, message: "Unknown Message" } };
const INVALID_TOKEN: Reply = { status: 401, body: { code: 50027, message: "Invalid Webhook Token" } };

export class InteractionStore {
  private readonly byId = new Map<string, EmulatedInteraction>();
  private readonly byToken = new Map<string, EmulatedInteraction>();

  constructor(private readonly host: InteractionHost) {}

  add(
    interaction: Omit<
      EmulatedInteraction,
      "callbacks" | "acknowledgedAs" | "originalMessageId" | "followUpIds" | "modal"
    >,
  ): EmulatedInteraction {
    const full: EmulatedInteraction = {
      ...interaction,
      callbacks: [],
      acknowledgedAs: undefined,
      originalMessageId: undefined,
      followUpIds: [],
      modal: undefined,
    };
    this.byId.set(full.id, full);
    this.byToken.set(full.token, full);
    return full;
  }

  get(id: string): EmulatedInteraction | undefined {
    return this.byId.get(id);
  }

  all(): EmulatedInteraction[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
    this.byToken.clear();
  }

  /** POST /interactions/:id/:token/callback, or the HTTP response body: the initial response. */
  respond(
    id: string,
    token: string,
    body: Record<string, unknown>,
    files: UploadedFile[],
    via: InteractionCallback["via"],
    withResponse = false,
  ): Reply {
    const interaction = this.byId.get(id);
    if (!interaction || interaction.token !== token) return UNKNOWN_INTERACTION;
    const reply = this.acknowledge(interaction, body, files, withResponse);
    interaction.callbacks.push({
      type: typeof body.type === "number" ? body.type : -1,
      data: body.data,
      files,
      status: reply.status,
      via,
      at: Date.now(),
    });
    return reply;
  }

  /** Routes under /webhooks/:app/:token (the interaction's webhook). */
  webhook(
    method: string,
    app: string,
    token: string,
    messageId: string | undefined,
    body: Record<string, unknown>,
    files: UploadedFile[],
    wait: boolean,
  ): Reply {
    const interaction = this.byToken.get(token);
    if (!interaction || app !== this.host.world.applicationId) return UNKNOWN_WEBHOOK;
    if (Date.now() - interaction.createdAt > this.host.tokenTtlMs) return INVALID_TOKEN;
    if (interaction.acknowledgedAs === undefined) return UNKNOWN_WEBHOOK;
    if (messageId === undefined) {
      if (method !== "POST") return { status: 405, body: { code: 0, message: "405: Method Not Allowed" } };
      return this.followUp(interaction, body, files, wait);
    }
    const target = this.webhookMessage(interaction, messageId);
    if (!target) return UNKNOWN_MESSAGE;
    if (method === "GET") return { status: 200, body: apiMessage(this.host.world, target) };
    if (method === "DELETE") {
      this.host.world.deleteMessage(target.id);
      return { status: 204 };
    }
    const problem = this.check(body, files, false, target);
    if (problem) return problem;
    editMessage(this.host.world, this.host.origin(), target, body, files, FLAG_LOADING);
    if (!(target.flags & FLAG_EPHEMERAL)) this.host.updated(target);
    return { status: 200, body: apiMessage(this.host.world, target) };
  }

  private acknowledge(
    interaction: EmulatedInteraction,
    body: Record<string, unknown>,
    files: UploadedFile[],
    withResponse: boolean,
  ): Reply {
    if (interaction.acknowledgedAs !== undefined) return ALREADY_ACKNOWLEDGED;
    if (Date.now() - interaction.createdAt > this.host.ackDeadlineMs) return UNKNOWN_INTERACTION;
    const type = body.type;
    if (typeof type !== "number" || !(ALLOWED_CALLBACKS[interaction.type] ?? []).includes(type)) {
      return formError(
        ["type"],
        "INTERACTION_CALLBACK_TYPE_INVALID",
        `Response type ${String(type)} is not valid for interaction type ${interaction.type}`,
      );
    }
    const data = (body.data ?? {}) as Record<string, unknown>;
    const world = this.host.world;
    const source = interaction.sourceMessageId ? world.message(interaction.sourceMessageId) : undefined;
    if ((type === CALLBACK_TYPE.deferredUpdateMessage || type === CALLBACK_TYPE.updateMessage) && !source) {
      return formError(["type"], "INTERACTION_NO_MESSAGE", "This interaction has no message to update");
    }
    let message: EmulatedMessage | undefined;
    if (type === CALLBACK_TYPE.channelMessage) {
      const problem = this.check(data, files, true, undefined);
      if (problem) return problem;
      message = this.post(interaction, data, files, 0);
    } else if (type === CALLBACK_TYPE.deferredChannelMessage) {
      message = this.post(
        interaction,
        { flags: (typeof data.flags === "number" ? data.flags : 0) & FLAG_EPHEMERAL },
        [],
        FLAG_LOADING,
      );
    } else if (type === CALLBACK_TYPE.updateMessage && source) {
      const problem = this.check(data, files, false, source);
      if (problem) return problem;
      editMessage(world, this.host.origin(), source, data, files);
      this.host.updated(source);
      message = source;
    } else if (type === CALLBACK_TYPE.deferredUpdateMessage) {
      message = source;
    } else if (type === CALLBACK_TYPE.modal) {
      const problem = checkModal(data);
      if (problem) return problem;
      interaction.modal = data;
    }
    interaction.acknowledgedAs = type;
    interaction.originalMessageId = message?.id;
    if (!withResponse) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.type,
          activity_instance_id: null,
          response_message_id: message?.id ?? null,
          response_message_loading: message ? Boolean(message.flags & FLAG_LOADING) : false,
          response_message_ephemeral: message ? Boolean(message.flags & FLAG_EPHEMERAL) : false,
        },
        resource: { type, ...(message ? { message: apiMessage(world, message) } : {}) },
      },
    };
  }

  private followUp(
    interaction: EmulatedInteraction,
    body: Record<string, unknown>,
    files: UploadedFile[],
    wait: boolean,
  ): Reply {
    const problem = this.check(body, files, true, undefined);
    if (problem) return problem;
    const world = this.host.world;
    const original = interaction.originalMessageId ? world.message(interaction.originalMessageId) : undefined;
    let message: EmulatedMessage;
    if (
      original &&
      original.flags & FLAG_LOADING &&
      interaction.acknowledgedAs === CALLBACK_TYPE.deferredChannelMessage &&
      interaction.followUpIds.length === 0
    ) {
      // The first follow-up after a deferral fills the "thinking" message, keeping its ephemerality.
      editMessage(world, this.host.origin(), original, body, files, FLAG_LOADING);
      if (!(original.flags & FLAG_EPHEMERAL)) this.host.updated(original);
      message = original;
    } else {
      message = this.post(interaction, body, files, 0);
    }
    interaction.followUpIds.push(message.id);
    return wait ? { status: 200, body: apiMessage(world, message) } : { status: 204 };
  }

  private post(
    interaction: EmulatedInteraction,
    body: Record<string, unknown>,
    files: UploadedFile[],
    flags: number,
  ): EmulatedMessage {
    const message = createMessage(this.host.world, this.host.origin(), {
      channelId: interaction.channelId ?? "",
      authorId: this.host.world.botUserId,
      body,
      files,
      type: interaction.type === INTERACTION_TYPE.applicationCommand ? 20 : 0,
      webhookId: this.host.world.applicationId,
      interactionId: interaction.id,
      flags,
    });
    if (!(message.flags & FLAG_EPHEMERAL)) this.host.created(message);
    return message;
  }

  private webhookMessage(interaction: EmulatedInteraction, messageId: string): EmulatedMessage | undefined {
    const id = messageId === "@original" ? interaction.originalMessageId : messageId;
    if (!id) return undefined;
    if (id !== interaction.originalMessageId && !interaction.followUpIds.includes(id)) return undefined;
    return this.host.world.message(id);
  }

  private check(
    body: Record<string, unknown>,
    files: UploadedFile[],
    creating: boolean,
    existing: EmulatedMessage | undefined,
  ): Reply | undefined {
    const problem: DiscordError | undefined = checkMessage({
      body,
      files,
      creating,
      requireAllowedMentions: this.host.requireAllowedMentions,
      keptFilenames: existing?.attachments.map((attachment) => attachment.filename),
      ephemeralAllowed: true,
    });
    return problem;
  }
}
