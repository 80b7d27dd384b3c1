import type { JobHandler, JobQueue, NewJob, QueuedJob } from "../../src/store/index.js";

/** Temporary: an in-memory JobQueue for the service tests until the store's in-process queue lands. */
export class MemoryQueue implements JobQueue {
  readonly kind = "in-process" as const;
  private readonly waiting: QueuedJob[] = [];
  private readonly busy = new Set<string>();
  private handler: JobHandler | undefined;
  private controller = new AbortController();
  private inFlight = new Set<Promise<void>>();
  private seq = 0;
  running = 0;

  constructor(readonly concurrency = 8) {}

  async enqueue(job: NewJob): Promise<string> {
    const queued = {
      id: String(++this.seq),
      threadKey: job.threadKey,
      kind: job.kind,
      payload: job.payload,
      attempt: 0,
    };
    if (job.priority === "first") this.waiting.unshift(queued);
    else this.waiting.push(queued);
    setImmediate(() => this.pump());
    return queued.id;
  }

  async start(handler: JobHandler): Promise<void> {
    this.handler = handler;
    this.pump();
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    this.controller.abort();
    await Promise.all([...this.inFlight]);
  }

  async depth(threadKey: string): Promise<number> {
    return (
      this.waiting.filter((job) => job.threadKey === threadKey).length + (this.busy.has(threadKey) ? 1 : 0)
    );
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    for (const job of [...this.waiting]) {
      if (this.running >= this.concurrency) return;
      if (this.busy.has(job.threadKey)) continue;
      this.waiting.splice(this.waiting.indexOf(job), 1);
      this.busy.add(job.threadKey);
      this.running += 1;
      job.attempt += 1;
      const task = handler(job, this.controller.signal)
        .then((end) => {
          if (end === "release") this.waiting.unshift(job);
        })
        .catch(() => undefined)
        .finally(() => {
          this.busy.delete(job.threadKey);
          this.running -= 1;
          this.inFlight.delete(task);
          this.pump();
        });
      this.inFlight.add(task);
    }
  }
}
