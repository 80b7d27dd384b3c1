/**
 * Per-thread ordering inside one process: work for a thread runs after the work queued before it, never
 * interleaved; different threads run concurrently. (Across replicas the thread's checkpoints are the
 * shared state; a Postgres job queue is the scale-out path, see README "Scale-out".)
 */
export class ThreadQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly depth = new Map<string, number>();

  /** True when work for `key` is running or waiting. */
  busy(key: string): boolean {
    return (this.depth.get(key) ?? 0) > 0;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.depth.set(key, (this.depth.get(key) ?? 0) + 1);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      const left = (this.depth.get(key) ?? 1) - 1;
      if (left === 0) {
        this.depth.delete(key);
        if (this.tails.get(key) === tail) this.tails.delete(key);
      } else {
        this.depth.set(key, left);
      }
    });
    return result;
  }

  /** Resolves when everything queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
