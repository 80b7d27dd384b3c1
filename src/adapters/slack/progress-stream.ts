import type { types, webApi } from "@slack/bolt";
import type { Config } from "../../config.js";
import { type ProgressStream, StreamRefused } from "../../delivery/index.js";
import type { Logger } from "../../log.js";
import { type StreamUpdate, slack } from "../../renderers/index.js";
import { slackErrorCode } from "./errors.js";
import type { SlackThread } from "./thread-key.js";

type SlackMessage = slack.SlackMessage;

/**
 * Slack's native progress stream (docs.slack.dev/reference/methods/chat.startStream, chat.appendStream,
 * chat.stopStream; scope chat:write): a reply in the thread for the requester (`recipient_user_id` and
 * `recipient_team_id`, which Slack requires outside DMs), shown as one plan (`task_display_mode: "plan"`)
 * whose task cards are updated by id. Every write is `chunks`, since Slack refuses a stream started with
 * chunks and appended with `markdown_text` (`streaming_mode_mismatch`).
 *
 * OCTO_SLACK_PROGRESS: `card` never streams. `auto` and `stream` stream, and when Slack refuses the
 * methods themselves (an unknown method, a missing scope, a feature the app has not turned on ...) the
 * workspace is remembered as card-only for as long as the process runs, said once in the log (`stream`
 * says it as a warning: streams were asked for). A refusal particular to one channel (its type) is
 * remembered for that channel only.
 */
const WORKSPACE_REFUSALS = new Set([
  "unknown_method",
  "not_allowed_token_type",
  "missing_scope",
  "feature_not_enabled",
  "invalid_arguments",
  "not_allowed",
  "no_permission",
]);
const CHANNEL_REFUSALS = new Set([
  "channel_type_not_supported",
  "method_not_supported_for_channel_type",
  "missing_recipient_user_id",
  "missing_recipient_team_id",
  "messages_tab_disabled",
]);

export class SlackStreams {
  private readonly refusedTeams = new Map<string, string>();
  private readonly refusedChannels = new Map<string, string>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly mode: Config["OCTO_SLACK_PROGRESS"],
  ) {}

  /** Whether progress in `thread` may be streamed. */
  allowed(thread: SlackThread): boolean {
    return (
      this.mode !== "card" &&
      !this.refusedTeams.has(thread.team) &&
      !this.refusedChannels.has(`${thread.team}:${thread.channel}`)
    );
  }

  async open(thread: SlackThread, user: string, first: StreamUpdate): Promise<ProgressStream<SlackMessage>> {
    const result = await this.call("chat.startStream", thread, () =>
      this.client.chat.startStream({
        channel: thread.channel,
        thread_ts: thread.threadTs,
        recipient_user_id: user,
        recipient_team_id: thread.team,
        task_display_mode: "plan",
        chunks: chunksOf(first),
      }),
    );
    if (typeof result.ts !== "string") throw new Error("chat.startStream answered without a ts");
    return this.stream(thread, result.ts);
  }

  /** The stream `ts` in `thread`, opened earlier (by this process or another). */
  stream(thread: SlackThread, ts: string): ProgressStream<SlackMessage> {
    const { channel } = thread;
    return {
      messageId: ts,
      append: async (update) => {
        await this.call("chat.appendStream", thread, () =>
          this.client.chat.appendStream({ channel, ts, chunks: chunksOf(update) }),
        );
      },
      stop: async (update, closing) => {
        const chunks = chunksOf(update);
        const blocks = slack.stopBlocks(closing) as (types.KnownBlock | types.Block)[];
        await this.call("chat.stopStream", thread, () =>
          this.client.chat.stopStream({
            channel,
            ts,
            ...(chunks.length > 0 ? { chunks } : {}),
            ...(blocks.length > 0 ? { blocks } : {}),
          }),
        );
      },
    };
  }

  private async call<T>(method: string, thread: SlackThread, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = slackErrorCode(error);
      if (WORKSPACE_REFUSALS.has(code) || CHANNEL_REFUSALS.has(code)) {
        this.refuse(method, thread, code);
        throw new StreamRefused(code, { cause: error });
      }
      this.log.warn({ method, error: code, channel: thread.channel }, "Slack API call failed");
      throw error;
    }
  }

  private refuse(method: string, thread: SlackThread, code: string): void {
    const workspace = WORKSPACE_REFUSALS.has(code);
    const refused = workspace ? this.refusedTeams : this.refusedChannels;
    const key = workspace ? thread.team : `${thread.team}:${thread.channel}`;
    if (refused.has(key)) return;
    refused.set(key, code);
    const where = workspace ? { team: thread.team } : { team: thread.team, channel: thread.channel };
    const message = `Slack refused to stream progress (${method}: ${code}); the edited progress card shows it ${workspace ? "in this workspace" : "in this channel"} from now on`;
    if (this.mode === "stream") this.log.warn({ ...where, method, reason: code }, message);
    else this.log.info({ ...where, method, reason: code }, message);
  }
}

/** A stream write as Slack's chunks: the plan's title, its tasks, then text. */
function chunksOf(update: StreamUpdate): types.AnyChunk[] {
  const chunks: types.AnyChunk[] = [];
  if (update.title) chunks.push({ type: "plan_update", title: update.title });
  for (const task of update.tasks ?? []) {
    chunks.push({
      type: "task_update",
      id: task.id,
      title: task.title,
      status: task.status,
      ...(task.details ? { details: task.details } : {}),
      ...(task.output ? { output: task.output } : {}),
      ...(task.sources
        ? { sources: task.sources.map((source) => ({ type: "url" as const, ...source })) }
        : {}),
    });
  }
  if (update.markdown) chunks.push({ type: "markdown_text", text: update.markdown });
  return chunks;
}
