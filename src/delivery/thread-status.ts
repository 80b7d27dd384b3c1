import type { RunEvent } from "../conversations/events.js";
import type { ProgressState } from "../renderers/progress.js";
import type { Locale } from "../vocabulary/index.js";
import { CoalescingUpdater } from "./coalescing-updater.js";
import type { Delivery } from "./context.js";
import type { ThreadSink } from "./sink.js";

/**
 * The thread's status line and title, where the platform has them (Slack's assistant threads): the
 * status follows the run (the running step, cleared when the run ends or waits for a person), sent only
 * when it changes and spaced like card edits; the title is the session's, set when a conversation's
 * first turn starts. Neither is worth more than a log line when the platform refuses it.
 */
export class ThreadStatus<M> {
  private shown = "";
  private titling: Promise<void> | undefined;
  private readonly updater: CoalescingUpdater<string> | undefined;

  constructor(
    private readonly ctx: Delivery<M>,
    private readonly sink: ThreadSink<M>,
    private readonly threadKey: string,
  ) {
    const setStatus = sink.setStatus?.bind(sink);
    this.updater =
      setStatus && ctx.renderer.status
        ? new CoalescingUpdater(setStatus, { minIntervalMs: ctx.progressIntervalMs, onError: () => {} })
        : undefined;
  }

  observe(event: RunEvent, state: ProgressState, locale: Locale): void {
    if (!this.titling && this.sink.setTitle && startsWork(event)) this.titling = this.title();
    const status = this.updater && this.ctx.renderer.status?.(state, locale);
    if (status === undefined || status === this.shown) return;
    this.shown = status;
    this.updater?.push(status);
  }

  /** Once the run's stream ended (finished, failed, or paused for approval): nothing left showing. */
  async settled(): Promise<void> {
    if (this.updater && this.shown !== "") {
      this.shown = "";
      await this.updater.finish("");
    }
    await this.updater?.settled();
    await this.titling;
  }

  private async title(): Promise<void> {
    try {
      const session = await this.ctx.conversations.session(this.threadKey);
      // Titled once: by the first turn (still counting zero completed turns) of the conversation.
      if (session?.title && session.turns === 0) await this.sink.setTitle?.(session.title);
    } catch (error) {
      this.ctx.log.debug(
        { error: this.ctx.errorCode(error), threadKey: this.threadKey },
        "no thread title set",
      );
    }
  }
}

/** The run itself has begun (its session exists), as opposed to a refusal or a "queued" note. */
function startsWork(event: RunEvent): boolean {
  return event.type === "status" ? event.status !== "queued" : event.type !== "error";
}
