import type { OptionValue } from "./interaction-payloads.js";
import type { EmulatedInteraction } from "./interactions.js";
import type { Recorded } from "./recorder.js";
import type { SigningOptions } from "./signing.js";
import type { EmulatedMessage } from "./state.js";
import type { UploadedFile } from "./validation.js";

/** The emulator's public shapes: its options, what it records, and the inputs of acting as people. */
export interface DiscordEmulatorOptions {
  /** The bot token the emulator accepts (REST `Authorization: Bot …` and gateway IDENTIFY). */
  token?: string;
  /** op 10 HELLO's heartbeat_interval (Discord: 41250 ms). */
  heartbeatIntervalMs?: number;
  /** Lifetime of interaction tokens for webhook edits and follow-ups (Discord: 15 min). */
  interactionTokenTtlMs?: number;
  /** Time allowed for an interaction's initial response (Discord: 3 s). */
  interactionAckDeadlineMs?: number;
  /** The project rule that every message the bot creates sets allowed_mentions without parse (default on). */
  requireAllowedMentions?: boolean;
  /** Whether the Message Content intent is enabled in the portal: IDENTIFY asking for it otherwise closes 4014. */
  messageContentIntentAllowed?: boolean;
  /** How long an HTTP interaction delivery waits for the bot's answer (default 10 s). */
  httpTimeoutMs?: number;
}

/** One REST call the emulator answered. */
export interface RecordedCall extends Recorded {
  method: string;
  /** `POST /channels/:id/messages` (method + template): what waits and faults name. */
  route: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The JSON body (payload_json for multipart; `_array` holds a top-level array). */
  body: Record<string, unknown>;
  files: UploadedFile[];
  /** Which credential came with it; tokens themselves are not kept. */
  auth: "bot" | "none" | "invalid";
  status: number;
  response: unknown;
  /** `http-response`: an HTTP interaction's answer, recorded as its callback. */
  via: "rest" | "http-response";
}

export type UserRef = string | { id: string };
export type ChannelRef = string | { id: string };
export type MessageRef = string | { id: string };

export interface UploadInput {
  filename: string;
  contentType?: string;
  data: Buffer | string;
}

export interface UserMessageInput {
  channel: ChannelRef;
  author: UserRef;
  content?: string;
  /** Prefixes `<@bot> ` to the content. */
  mentionBot?: boolean;
  attachments?: UploadInput[];
  /** A reply to this message. */
  reference?: MessageRef;
}

/** How an interaction reaches the bot: over the gateway, or POSTed (signed) to its HTTP endpoint. */
export type InteractionVia = "gateway" | ({ url: string } & SigningOptions);

export interface InteractionDelivery {
  id: string;
  token: string;
  payload: Record<string, unknown>;
  /** Gateway: sessions that received it now (0: none connected; buffered or lost). */
  delivered?: number;
  /** HTTP: the endpoint's status and parsed body (its initial response). */
  status?: number;
  body?: unknown;
}

export interface CommandInput {
  channel: ChannelRef;
  author: UserRef;
  /** Default "octo". */
  name?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  locale?: string;
  via?: InteractionVia;
}

export interface ClickInput {
  message: MessageRef;
  customId: string;
  author: UserRef;
  /** For select menus. */
  values?: string[];
  locale?: string;
  via?: InteractionVia;
}

export interface ModalInput {
  customId: string;
  fields: Record<string, string>;
  author: UserRef;
  channel: ChannelRef;
  /** The message whose component opened the modal, when it came from a click. */
  message?: MessageRef;
  locale?: string;
  via?: InteractionVia;
}

/** An interaction as a test reads it back. */
export interface InteractionView {
  interaction: EmulatedInteraction;
  callbacks: EmulatedInteraction["callbacks"];
  original: EmulatedMessage | undefined;
  followUps: EmulatedMessage[];
  modal: unknown;
}
