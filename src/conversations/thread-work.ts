import type { Logger } from "../log.js";
import { type Locale, OctoError } from "../vocabulary/index.js";
import type { EventSink } from "./channel.js";
import type { RunEvent } from "./events.js";
import { errorEvent } from "./run-events.js";
import { ThreadQueue } from "./thread-queue.js";

/** How a run's job ended: `suspended` runs were cut short by a shutdown and go back to the queue. */
export type RunEnd = "finished" | "failed" | "suspended";

/** Why a run's signal fired; `restarting` marks a shutdown, which suspends the run instead of failing it. */
export const SHUTDOWN = (): OctoError => new OctoError("restarting", "shutting down");

/**
 * The runs this process carries and the thread work around them (history, rewind, forget), in order per
 * thread within the process (the job queue orders them across processes), with each run's one abort
 * signal: the queue's (a shutdown), the turn's deadline, or a forget.
 */
export class ThreadWork {
  private readonly queue = new ThreadQueue();
  private readonly running = new Map<string, AbortController>();
  private stopping = false;

  constructor(
    private readonly log: Logger,
    private readonly localeOf: (threadKey: string) => Promise<Locale>,
  ) {}

  close(): void {
    this.stopping = true;
    for (const controller of this.running.values()) controller.abort(SHUTDOWN());
  }

  /** Thread work that needs no abort handle (history, rewind, forget), after the thread's run here. */
  run<T>(threadKey: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(threadKey, work);
  }

  /** A job's run; anything that escapes `work` becomes an error event and counts as failed. */
  job(
    threadKey: string,
    channel: EventSink<RunEvent>,
    limits: { signal: AbortSignal; deadlineMs: number },
    work: (signal: AbortSignal) => Promise<RunEnd>,
  ): Promise<RunEnd> {
    return this.queue.run(threadKey, async () => {
      const controller = new AbortController();
      const onStop = () => controller.abort(SHUTDOWN());
      limits.signal.addEventListener("abort", onStop, { once: true });
      const deadline = setTimeout(() => {
        const minutes = Math.max(1, Math.round(limits.deadlineMs / 60_000));
        controller.abort(new OctoError("turn_timeout", "turn deadline", { params: { minutes } }));
      }, limits.deadlineMs);
      deadline.unref();
      this.running.set(threadKey, controller);
      try {
        if (this.stopping || limits.signal.aborted) return "suspended";
        return await work(controller.signal);
      } catch (error) {
        this.log.error({ err: error, threadKey }, "thread work failed");
        const locale = await this.localeOf(threadKey).catch((): Locale => "en");
        channel.push(errorEvent(error, { threadKey, locale }));
        return "failed";
      } finally {
        clearTimeout(deadline);
        limits.signal.removeEventListener("abort", onStop);
        if (this.running.get(threadKey) === controller) this.running.delete(threadKey);
      }
    });
  }

  abort(threadKey: string, reason: OctoError): void {
    this.running.get(threadKey)?.abort(reason);
  }

  /** Resolves when everything queued here so far has finished. */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}
