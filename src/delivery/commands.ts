import { describeError } from "../conversations/errors.js";
import type { ThreadHistory } from "../conversations/types.js";
import type { HistoryView, Notice } from "../renderers/types.js";
import type { Locale } from "../vocabulary/index.js";
import type { OctoCommand } from "./command.js";
import type { Delivery } from "./context.js";
import { runRequest } from "./runs.js";
import type { ThreadSink } from "./sink.js";

/**
 * Answers to the chat command once it is parsed and acknowledged: a request starts a thread of its own;
 * `history`, `rewind` and `forget` act on the person's latest conversation in the place the command was
 * typed, and answer that person alone.
 */
export interface CommandPlace<M> {
  user: string;
  /** The command as the platform shows it (`/octo`), for examples in replies. */
  commandName: string;
  /** Every conversation of this place (a channel) has a thread key starting with it. */
  threadKeyPrefix: string;
  /** Answers the person alone. */
  reply(message: M): Promise<void>;
  /** Answers the person alone through the command itself (Slack: its response_url), where the bot may not post. */
  replyToCommand(message: M): Promise<void>;
  /**
   * Starts the thread a request runs in with `root` as its first message (Slack: a channel message).
   * `progressCard`: a message there that is to show the run's progress (Discord: the command's
   * deferred reply, which became the root). Throws what the platform refused.
   */
  openThread(root: M): Promise<OpenedThread<M>>;
  /** Whether a refusal of `openThread` means the bot may not post in this place. */
  cannotPostHere(error: unknown): boolean;
  /** What the person is told then (default: `not_in_channel`, which asks them to invite the bot). */
  cannotPostNotice?: Notice;
}

export interface OpenedThread<M> {
  sink: ThreadSink<M>;
  threadKey: string;
  progressCard?: string | undefined;
}

/** The reply lists the latest turns only (and counts the rest). */
const TURNS_SHOWN = 10;

export type AnsweredCommand = Exclude<OctoCommand, { kind: "help" | "usage" }>;

export async function answerCommand<M>(
  ctx: Delivery<M>,
  place: CommandPlace<M>,
  command: AnsweredCommand,
  locale: Locale,
): Promise<void> {
  const { renderer } = ctx;
  if (command.kind === "run") {
    const root = renderer.notice(
      { kind: "request", user: place.user, format: command.format, request: command.request },
      locale,
    );
    let thread: OpenedThread<M>;
    try {
      thread = await place.openThread(root);
    } catch (error) {
      const notice: Notice = place.cannotPostHere(error)
        ? (place.cannotPostNotice ?? { kind: "not_in_channel" })
        : { kind: "failed", message: describeError(error, locale).message };
      await place.replyToCommand(renderer.notice(notice, locale));
      return;
    }
    await runRequest(ctx, thread.sink, {
      threadKey: thread.threadKey,
      user: place.user,
      text: command.request,
      format: command.format,
      progressCard: thread.progressCard,
    });
    return;
  }

  const latest = (await ctx.conversations.sessions(place.user)).find((session) =>
    session.threadKey.startsWith(place.threadKeyPrefix),
  );
  if (!latest) {
    await place.reply(
      renderer.notice({ kind: command.kind === "forget" ? "nothing_to_forget" : "no_conversation" }, locale),
    );
    return;
  }
  const threadKey = latest.threadKey;
  const threadLocale = latest.locale;
  const say = (notice: Parameters<typeof renderer.notice>[0]) =>
    place.reply(renderer.notice(notice, threadLocale));
  switch (command.kind) {
    case "history":
      await say({
        kind: "history",
        history: historyView(
          await ctx.conversations.history(threadKey, { limit: TURNS_SHOWN, checkpoints: 0 }),
        ),
        command: place.commandName,
      });
      return;
    case "rewind":
      try {
        const outcome = await ctx.conversations.rewind(threadKey, { turns: command.turns });
        await say({ kind: "rewound", turns: command.turns, remaining: outcome.turns });
      } catch (error) {
        await say({ kind: "failed", message: describeError(error, threadLocale).message });
      }
      return;
    case "forget": {
      const existed = await ctx.conversations.forget(threadKey);
      await say(existed ? { kind: "forgotten", title: latest.title } : { kind: "nothing_to_forget" });
      return;
    }
  }
}

function historyView(history: ThreadHistory): HistoryView {
  return {
    title: history.session?.title ?? "-",
    status: history.session?.status ?? "-",
    turnCount: history.turnCount,
    turns: history.turns.map((turn) => ({
      index: turn.index,
      request: turn.request,
      feedback: turn.feedback,
    })),
    pending: history.pendingApprovals.map((approval) => ({ step: approval.stepId, agent: approval.agent })),
    checkpoints: history.checkpointCount,
    feedback: history.feedback,
  };
}
