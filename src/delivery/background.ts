import type { Logger } from "../log.js";

/**
 * Work started after an acknowledgement (runs, card updates). Tracked so `stop()` can let it finish and
 * tests can wait for quiet instead of sleeping; errors are logged, never thrown into the transport.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  get size(): number {
    return this.running.size;
  }

  run(label: string, work: () => Promise<void>): void {
    void this.track(label, work);
  }

  /** Like run, resolving when the work has finished (never rejecting). */
  track(label: string, work: () => Promise<void>): Promise<void> {
    const task = (async () => {
      try {
        await work();
      } catch (error) {
        this.log.error({ err: error, task: label }, "background task failed");
      }
    })();
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
    return task;
  }

  /** Resolves once no task is running, including tasks started while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Like idle, but gives up after `timeoutMs`; true when everything finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref?.();
    });
    const finished = await Promise.race([this.idle().then(() => true as const), timeout]);
    clearTimeout(timer);
    return finished;
  }
}
