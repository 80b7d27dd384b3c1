import type { Logger } from "../../log.js";
import { errorMessage } from "../../vocabulary/index.js";
import type { JobHandler, QueuedJob } from "./types.js";

/** What becomes of a job once its handler is through with it. */
export type Outcome = "done" | "release" | "failed";

interface Run {
  controller: AbortController;
  release: () => void;
}

/**
 * The handlers running in this process, and the shutdown rules both queue implementations share:
 * `abort()` signals every run, `expire()` gives up waiting on them (their jobs are released, a late
 * result is ignored), and a handler that throws has its job dropped with a log line.
 */
export class Runs {
  private readonly live = new Set<Run>();
  private aborted = false;
  private expired = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.live.size;
  }

  /** Runs `handler` on `job`; never rejects. */
  async run(job: QueuedJob, handler: JobHandler): Promise<Outcome> {
    if (this.expired) return "release";
    const controller = new AbortController();
    if (this.aborted) controller.abort(stopping());
    let release!: () => void;
    const cutShort = new Promise<"cut short">((resolve) => {
      release = () => resolve("cut short");
    });
    const run: Run = { controller, release };
    this.live.add(run);
    let cut = false;
    const context = { jobId: job.id, kind: job.kind, threadKey: job.threadKey, attempt: job.attempt };
    const finished = Promise.resolve()
      .then(() => handler(job, controller.signal))
      .then(
        (result): Outcome => (result === "release" ? "release" : "done"),
        (error): Outcome => {
          const what = cut ? "failed after its job was released" : "failed; the job is dropped";
          this.logger.error({ ...context, err: error }, `job handler ${what}: ${errorMessage(error)}`);
          return "failed";
        },
      );
    try {
      const first = await Promise.race([finished, cutShort]);
      if (first !== "cut short") return first;
      cut = true;
      this.logger.warn(context, "job still running when the queue stopped; released");
      return "release";
    } finally {
      this.live.delete(run);
      if (this.live.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Aborts the signal of every run, and of any run started from now on. */
  abort(): void {
    this.aborted = true;
    for (const run of this.live) run.controller.abort(stopping());
  }

  /** Stops waiting: every run resolves `release` now, and later ones at once. */
  expire(): void {
    this.expired = true;
    for (const run of this.live) run.release();
  }

  idle(): Promise<void> {
    if (this.live.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

function stopping(): Error {
  const error = new Error("the job queue is stopping");
  error.name = "AbortError";
  return error;
}
