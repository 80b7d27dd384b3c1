import type { types, webApi } from "@slack/bolt";
import type { Config } from "../../config.js";
import type { ThreadSink } from "../../delivery/index.js";
import type { Logger } from "../../log.js";
import { type RenderedFile, slack } from "../../renderers/index.js";
import { clip, type Locale, oneLine } from "../../vocabulary/index.js";
import { SlackStreams } from "./progress-stream.js";
import type { SlackThread } from "./thread-key.js";

type SlackMessage = slack.SlackMessage;

/**
 * Every Web API call the adapter makes, in one place: each goes through the Bolt app's client (so it
 * honours SLACK_API_URL, the request queue and Retry-After), and each failure is logged once with
 * Slack's `error` code before it is rethrown.
 */

import { slackErrorCode } from "./errors.js";

export { isSlackError, slackErrorCode } from "./errors.js";

/** Renderers build blocks as plain JSON checked against Slack's limits; the SDK types them as a union. */
export const blocksOf = (message: SlackMessage) =>
  message.blocks.length > 0 ? { blocks: message.blocks as (types.KnownBlock | types.Block)[] } : {};

/**
 * Refusals that mean the app cannot use the assistant methods at all (no assistant view, an old
 * install without the scope): the process stops calling them after the first, and says so once.
 */
const ASSISTANT_UNAVAILABLE = new Set([
  "missing_scope",
  "not_allowed_token_type",
  "feature_not_enabled",
  "unknown_method",
  "not_allowed",
]);

/** Slack accepts longer thread titles, but the list beside the panel shows about a line. */
const TITLE_CHARS = 255;

/** DMs with the app: where the assistant view puts its threads (Slack's channel ids for DMs start with D). */
export function isAssistantChannel(channel: string): boolean {
  return channel.startsWith("D");
}

export class SlackOutbox {
  private assistantRefused: string | undefined;
  private readonly streams: SlackStreams;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    /** OCTO_SLACK_PROGRESS: whether run progress streams (see SlackStreams) or is the edited card. */
    progress: Config["OCTO_SLACK_PROGRESS"] = "card",
  ) {
    this.streams = new SlackStreams(client, log, progress);
  }

  /** Posts a message (into `threadTs` when given) and returns its ts. */
  async post(channel: string, threadTs: string | undefined, message: SlackMessage): Promise<string> {
    const result = await this.call("chat.postMessage", { channel }, () =>
      this.client.chat.postMessage({
        channel,
        text: message.text,
        ...blocksOf(message),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return result.ts as string;
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.call("chat.update", { channel, ts }, () =>
      // An empty list clears old blocks; leaving it out would keep them beside the new text.
      this.client.chat.update({ channel, ts, text: message.text, blocks: blocksOf(message).blocks ?? [] }),
    );
  }

  async ephemeral(channel: string, user: string, threadTs: string | undefined, message: SlackMessage) {
    await this.call("chat.postEphemeral", { channel, user }, () =>
      this.client.chat.postEphemeral({
        channel,
        user,
        text: message.text,
        ...blocksOf(message),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }),
    );
  }

  /** Uploads files into a thread with files.uploadV2: one completion, so they arrive as one message. */
  async upload(channel: string, threadTs: string, files: readonly RenderedFile[]): Promise<void> {
    if (files.length === 0) return;
    await this.call("files.uploadV2", { channel, files: files.length }, () =>
      this.client.files.uploadV2({
        channel_id: channel,
        thread_ts: threadTs,
        file_uploads: files.map((file) => ({
          file: file.data,
          filename: file.filename,
          ...(file.title ? { title: file.title } : {}),
          ...(file.altText ? { alt_text: file.altText } : {}),
        })),
      }),
    );
  }

  async openModal(triggerId: string, view: slack.SlackModal): Promise<void> {
    await this.call("views.open", {}, () =>
      this.client.views.open({ trigger_id: triggerId, view: view as webApi.ViewsOpenArguments["view"] }),
    );
  }

  /** Member user ids of a user group (usergroups.users.list, scope usergroups:read). */
  async groupMembers(groupId: string): Promise<string[]> {
    const result = await this.call("usergroups.users.list", { group: groupId }, () =>
      this.client.usergroups.users.list({ usergroup: groupId }),
    );
    return result.users ?? [];
  }

  /** The assistant thread's status line ("Octo is running step 2 ..."); empty clears it. */
  async setStatus(channel: string, threadTs: string, status: string): Promise<void> {
    await this.assistantCall("assistant.threads.setStatus", { channel }, () =>
      this.client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status }),
    );
  }

  async setTitle(channel: string, threadTs: string, title: string): Promise<void> {
    const shown = clip(oneLine(title), TITLE_CHARS);
    if (!shown) return;
    await this.assistantCall("assistant.threads.setTitle", { channel }, () =>
      this.client.assistant.threads.setTitle({ channel_id: channel, thread_ts: threadTs, title: shown }),
    );
  }

  /** The person's language from their Slack locale (users.info, scope users:read); English when unknown. */
  async userLocale(user: string): Promise<Locale> {
    try {
      const result = await this.call("users.info", { user }, () =>
        this.client.users.info({ user, include_locale: true }),
      );
      return result.user?.locale?.toLowerCase().startsWith("ko") ? "ko" : "en";
    } catch {
      return "en";
    }
  }

  /** One thread as the delivery layer writes to it; `interaction` adds the edit form a click may open. */
  thread(
    thread: SlackThread,
    interaction?: { triggerId?: string | undefined; cardTs: string },
  ): ThreadSink<SlackMessage> {
    const { channel, threadTs } = thread;
    const triggerId = interaction?.triggerId;
    return {
      post: (message) => this.post(channel, threadTs, message),
      update: (ts, message) => this.update(channel, ts, message),
      postPrivately: (user, message) => this.ephemeral(channel, user, threadTs, message),
      upload: (files) => this.upload(channel, threadTs, files),
      ...(isAssistantChannel(channel)
        ? {
            setStatus: (status: string) => this.setStatus(channel, threadTs, status),
            setTitle: (title: string) => this.setTitle(channel, threadTs, title),
          }
        : {}),
      ...(this.streams.allowed(thread)
        ? { openProgressStream: (user, first) => this.streams.open(thread, user, first) }
        : {}),
      progressStream: (ts) => this.streams.stream(thread, ts),
      ...(triggerId && interaction
        ? {
            openForm: (form, locale) => {
              const context = {
                approvalId: form.approvalId,
                team: thread.team,
                channel,
                messageTs: interaction.cardTs,
                threadTs,
              };
              return this.openModal(triggerId, slack.renderEditModal(form, JSON.stringify(context), locale));
            },
          }
        : {}),
    };
  }

  /** An assistant method: skipped once Slack said the app cannot use them, each failure logged once. */
  private async assistantCall(method: string, where: Record<string, unknown>, run: () => Promise<unknown>) {
    if (this.assistantRefused) return;
    try {
      await this.call(method, where, run);
    } catch (error) {
      const code = slackErrorCode(error);
      if (!ASSISTANT_UNAVAILABLE.has(code)) throw error;
      this.assistantRefused = code;
      this.log.warn(
        { method, error: code },
        "Slack refused the assistant methods: no thread status or titles from now on (enable the assistant view and the assistant:write scope)",
      );
    }
  }

  private async call<T>(method: string, where: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.log.warn({ method, error: slackErrorCode(error), ...where }, "Slack API call failed");
      throw error;
    }
  }
}
