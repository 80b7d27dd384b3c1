import type { LoggedRunEvent, RunFeed } from "../../src/adapters/http/viewer/index.js";
import { type RunEvent, runEventId } from "../../src/conversations/index.js";

/**
 * A run event log in memory, for the viewer's tests: events are numbered per run as they are appended,
 * and followers are woken for each one, as the durable log's follow does across replicas.
 */
export class MemoryRunFeed implements RunFeed {
  private readonly logs = new Map<string, LoggedRunEvent[]>();
  private readonly wakers = new Set<() => void>();
  /** Follows in progress (a page's stream that ended must leave none behind). */
  following = 0;
  /** The run of the first event appended, once there is one. */
  firstRunId: string | undefined;

  append(event: RunEvent): number {
    this.firstRunId ??= event.runId;
    const log = this.logs.get(event.runId) ?? [];
    const seq = log.length + 1;
    log.push({
      id: runEventId(event.runId, seq),
      runId: event.runId,
      threadKey: event.threadKey,
      seq,
      event,
    });
    this.logs.set(event.runId, log);
    for (const wake of [...this.wakers]) wake();
    return seq;
  }

  async snapshot(runId: string): Promise<{ known: boolean; events: LoggedRunEvent[] }> {
    const log = this.logs.get(runId);
    return { known: log !== undefined, events: [...(log ?? [])] };
  }

  async *follow(runId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<LoggedRunEvent> {
    this.following += 1;
    let next = afterSeq;
    try {
      while (!signal.aborted) {
        const fresh = (this.logs.get(runId) ?? []).filter((logged) => logged.seq > next);
        for (const logged of fresh) {
          next = logged.seq;
          yield logged;
        }
        if (fresh.length === 0) await this.changed(signal);
      }
    } finally {
      this.following -= 1;
    }
  }

  private changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wakers.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.wakers.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
