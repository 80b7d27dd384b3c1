import type { Logger } from "../log.js";
import { type Locale, OctoError } from "../vocabulary/index.js";
import type { EventChannel } from "./channel.js";
import type { RunEvent } from "./events.js";
import { errorEvent } from "./run-events.js";
import { ThreadQueue } from "./thread-queue.js";

/**
 * Each thread's work (turns, decisions, rewinds, forgets) in order, with the abort handle of what runs
 * now: a forget stops the thread's run, a shutdown stops them all (their last checkpoint stays).
 */
export class ThreadWork {
  private readonly queue = new ThreadQueue();
  private readonly running = new Map<string, AbortController>();
  private stopped = false;

  constructor(
    private readonly log: Logger,
    private readonly localeOf: (threadKey: string) => Promise<Locale>,
  ) {}

  /** True once `close` began: runs cut short now are suspended for the next start, not rolled back. */
  get closed(): boolean {
    return this.stopped;
  }

  busy(threadKey: string): boolean {
    return this.queue.busy(threadKey);
  }

  /** Queues work for the thread that needs no abort handle (history, rewind, forget). */
  run<T>(threadKey: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(threadKey, work);
  }

  /** Queues a run's work with an abort handle; anything that escapes becomes an error event. */
  guarded(
    threadKey: string,
    channel: EventChannel<RunEvent>,
    work: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    return this.queue.run(threadKey, async () => {
      const controller = new AbortController();
      this.running.set(threadKey, controller);
      try {
        if (this.stopped) throw new OctoError("llm_aborted", "the service is shutting down");
        await work(controller.signal);
      } catch (error) {
        this.log.error({ err: error, threadKey }, "thread work failed");
        const locale = await this.localeOf(threadKey).catch((): Locale => "en");
        channel.push(errorEvent(error, { threadKey, locale }));
      } finally {
        if (this.running.get(threadKey) === controller) this.running.delete(threadKey);
      }
    });
  }

  abort(threadKey: string, reason: OctoError): void {
    this.running.get(threadKey)?.abort(reason);
  }

  /** Stops runs in flight and waits for everything queued to settle. */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const controller of this.running.values())
      controller.abort(new OctoError("llm_aborted", "shutting down"));
    await this.queue.idle();
  }
}
