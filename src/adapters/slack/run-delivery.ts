import type { RunEvent, RunEventOf } from "../../conversations/events.js";
import type { EventStream } from "../../conversations/types.js";
import { t } from "../../i18n/index.js";
import type { Locale } from "../../vocabulary/index.js";
import { CoalescingUpdater } from "./coalescing-updater.js";
import type { SlackContext } from "./context.js";
import { type SlackFile, type SlackMessage, slackErrorCode } from "./outbox.js";
import {
  applyRunEvent,
  approvalMessage,
  errorMessage,
  initialProgress,
  type ProgressState,
  progressMessage,
  resultMessages,
} from "./rendering.js";
import { say } from "./texts.js";
import type { SlackThread } from "./thread-key.js";

/**
 * Turns a run's event stream into Slack messages in its thread: a progress card edited as steps move,
 * approval cards, then the answer and its files, or a polite error, with a retry button when the service
 * kept the request for one (its `retry_id`: stored in the database, so the button works after a restart
 * and on any replica).
 */
export interface RunTarget {
  thread: SlackThread;
  user: string;
  locale: Locale;
  /** Post the progress card before the first event (new requests) or only once events come (resumes). */
  cardAtOnce: boolean;
  /** Refusals that change nothing, before any run started, go to `user` alone (ephemeral). */
  quiet?: boolean;
}

class ProgressCard {
  private ts: Promise<string | undefined> | undefined;
  private readonly updater: CoalescingUpdater<SlackMessage>;

  constructor(
    private readonly ctx: SlackContext,
    private readonly thread: SlackThread,
  ) {
    this.updater = new CoalescingUpdater((message) => this.write(message), {
      minIntervalMs: ctx.progressIntervalMs,
      onError: () => {
        // Already logged with its Slack error code by the outbox; a missed card edit is not worth more.
      },
    });
  }

  get opened(): boolean {
    return this.ts !== undefined;
  }

  open(message: SlackMessage): void {
    if (this.ts) return;
    this.updater.markSent();
    this.ts = this.ctx.outbox.post(this.thread.channel, this.thread.threadTs, message).catch(() => undefined);
  }

  show(message: SlackMessage): void {
    if (!this.ts) this.open(message);
    else this.updater.push(message);
  }

  async finish(message: SlackMessage): Promise<void> {
    if (!this.ts) return;
    await this.updater.finish(message);
  }

  async settled(): Promise<void> {
    await this.ts;
    await this.updater.settled();
  }

  private async write(message: SlackMessage): Promise<void> {
    const ts = await this.ts;
    if (ts) await this.ctx.outbox.update(this.thread.channel, ts, message);
  }
}

export async function deliverRun(ctx: SlackContext, stream: EventStream, target: RunTarget): Promise<void> {
  let state: ProgressState = initialProgress(target.locale);
  let locale = target.locale;
  const card = new ProgressCard(ctx, target.thread);
  const progress = () => progressMessage(state, locale);
  if (target.cardAtOnce) card.open(progress());

  const handle = async (event: RunEvent) => {
    state = applyRunEvent(state, event);
    locale = event.locale;
    ctx.userLocales.set(target.user, locale);
    switch (event.type) {
      case "approval_requested":
        card.show(progress());
        await postAll(ctx, target.thread, [approvalMessage(event.approval, locale)]);
        return;
      case "approval_reopened":
        // The decide flow gives the approval card its buttons back.
        return;
      case "result": {
        await card.finish(progress());
        const rendered = await resultMessages(event.result, locale);
        await postAll(ctx, target.thread, rendered.messages);
        await uploadAll(ctx, target.thread, rendered.files, locale);
        return;
      }
      case "error": {
        if (target.quiet && !card.opened && !event.retryable) {
          const message = errorMessage(event, locale, undefined);
          await ctx.outbox
            .ephemeral(target.thread.channel, target.user, target.thread.threadTs, message)
            .catch(() => undefined);
          return;
        }
        await card.finish(progress());
        await postAll(ctx, target.thread, [errorMessage(event, locale, event.retry_id)]);
        return;
      }
      default:
        card.show(progress());
    }
  };

  try {
    for await (const event of stream) await handle(event);
  } catch (error) {
    // The service reports failures as events; reaching here means it broke, which the person still hears about.
    ctx.log.error({ err: error, thread: target.thread }, "run event stream failed");
    await handle(internalError(state, locale));
  }
  await card.settled();
}

function internalError(state: ProgressState, locale: Locale): RunEventOf<"error"> {
  return {
    type: "error",
    threadKey: state.threadKey ?? "",
    runId: state.runId ?? "",
    locale,
    at: new Date().toISOString(),
    kind: "internal",
    message: t(locale, "error.internal"),
    retryable: true,
  };
}

/**
 * Posts messages in order. One Slack refuses (a rendering bug, say) is replaced by its plain fallback
 * text, and failing that by a note, so the thread never just goes quiet.
 */
export async function postAll(ctx: SlackContext, thread: SlackThread, messages: readonly SlackMessage[]) {
  for (const message of messages) {
    try {
      await ctx.outbox.post(thread.channel, thread.threadTs, message);
    } catch (error) {
      if (!message.blocks) continue;
      try {
        await ctx.outbox.post(thread.channel, thread.threadTs, { text: message.text });
      } catch {
        ctx.log.error(
          { thread, error: slackErrorCode(error) },
          "could not post a message even as plain text",
        );
      }
    }
  }
}

async function uploadAll(
  ctx: SlackContext,
  thread: SlackThread,
  files: readonly SlackFile[],
  locale: Locale,
) {
  try {
    await ctx.outbox.upload(thread.channel, thread.threadTs, files);
  } catch (error) {
    const note = { text: say(locale, "post_failed", { error: slackErrorCode(error) }) };
    await ctx.outbox.post(thread.channel, thread.threadTs, note).catch(() => undefined);
  }
}
