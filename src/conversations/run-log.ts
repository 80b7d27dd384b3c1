import type { Logger } from "../log.js";
import {
  type Queryable,
  RunEventStore,
  type RunKey,
  type RunRecord,
  type RunState,
  type Store,
} from "../store/index.js";
import { type RunEvent, RunEventSchema } from "./events.js";
import type { RunEnd } from "./thread-work.js";
import type { FollowOptions, LoggedRunEvent, RunEventsQuery, RunSummary } from "./types.js";

/** Events one read returns at most; a follower reads page after page. */
export const RUN_EVENTS_PAGE = 500;
/** How often a follower looks for events written by another process (this one's wake it at once). */
export const DEFAULT_FOLLOW_POLL_MS = 250;

/** The id of a logged event, as SSE `id:` lines and `Last-Event-ID` carry it: `{runId}:{seq}`. */
export function runEventId(runId: string, seq: number): string {
  return `${runId}:${seq}`;
}

/** The run and seq an event id names; undefined for anything else. */
export function parseRunEventId(id: string): { runId: string; seq: number } | undefined {
  const match = /^(.+):(\d{1,9})$/.exec(id.trim());
  if (!match) return undefined;
  return { runId: match[1] as string, seq: Number(match[2]) };
}

/** Where a run stands after `event`, its latest. */
export function stateAfter(event: RunEvent): RunState {
  switch (event.type) {
    case "result":
      return "completed";
    case "error":
      return event.kind === "restarting" ? "interrupted" : "failed";
    case "approval_requested":
      return "running";
    case "approval_reopened":
      return "waiting_approval";
    case "status":
      return event.status === "waiting_approval" ? "waiting_approval" : "running";
    default:
      return "running";
  }
}

/**
 * The durable, ordered log of every run's events, for every platform: written by whichever process
 * runs the job (a `RunLogWriter` beside the job's route, see worker.ts), read and followed by anyone
 * on the same database. A follower in this process is woken as soon as a write commits here; one on
 * another process finds new events by polling every `pollMs`.
 */
export class RunLog {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly store: Pick<Store, "runEvents">,
    private readonly log: Logger,
    private readonly pollMs = DEFAULT_FOLLOW_POLL_MS,
  ) {}

  /** The writer for one job's events; close it when the job ends. */
  writer(job: RunKey): RunLogWriter {
    return new RunLogWriter(this, job, this.log);
  }

  /** Counts a job added for the run, inside the transaction that adds it. */
  jobAdded(tx: Queryable, run: RunKey): Promise<void> {
    return new RunEventStore(tx).jobAdded(run);
  }

  /** Appends events through `db` (a transaction, when they must commit with other writes). */
  async append(run: RunKey, events: readonly RunEvent[], db?: Queryable): Promise<void> {
    const last = events.at(-1);
    if (!last) return;
    const target = db ? new RunEventStore(db) : this.store.runEvents;
    await target.append(
      run,
      events.map((event) => ({ type: event.type, at: event.at, event })),
      stateAfter(last),
    );
    if (!db) this.notify(run.runId);
  }

  async jobEnded(runId: string): Promise<void> {
    await this.store.runEvents.jobEnded(runId);
    this.notify(runId);
  }

  /** Wakes this process's followers of the run (after a write that committed here). */
  notify(runId: string): void {
    const waiting = this.waiters.get(runId);
    if (!waiting) return;
    this.waiters.delete(runId);
    for (const wake of waiting) wake();
  }

  async events(runId: string, query: RunEventsQuery = {}): Promise<LoggedRunEvent[]> {
    return (await this.page(runId, query.after ?? 0, query.limit ?? RUN_EVENTS_PAGE)).events;
  }

  async run(runId: string): Promise<RunSummary | undefined> {
    const record = await this.store.runEvents.run(runId);
    return record ? summaryOf(record) : undefined;
  }

  async runs(threadKey: string, limit = 50): Promise<RunSummary[]> {
    return (await this.store.runEvents.runs(threadKey, Math.min(Math.max(limit, 1), 200))).map(summaryOf);
  }

  /**
   * The run's events after `after`, then each new one as it is written, wherever; ends once the run
   * rests (no job of it waits or runs: finished, failed, or paused for approval) and every event was
   * yielded, or when `signal` aborts. A run not known yet is waited for.
   */
  async *follow(runId: string, options: FollowOptions = {}): AsyncGenerator<LoggedRunEvent> {
    const { signal } = options;
    let seq = options.after ?? 0;
    while (!signal?.aborted) {
      const page = await this.page(runId, seq, RUN_EVENTS_PAGE);
      for (const event of page.events) yield event;
      seq = page.lastSeq ?? seq;
      if (page.read === RUN_EVENTS_PAGE) continue;
      const run = await this.store.runEvents.run(runId);
      if (run && run.jobs === 0 && run.lastSeq <= seq) return;
      await this.wake(runId, signal);
    }
  }

  private async page(runId: string, after: number, limit: number) {
    const rows = await this.store.runEvents.events(
      runId,
      after,
      Math.min(Math.max(limit, 1), RUN_EVENTS_PAGE),
    );
    const events: LoggedRunEvent[] = [];
    for (const row of rows) {
      const parsed = RunEventSchema.safeParse(row.event);
      if (!parsed.success) {
        // Written by a version whose events this one cannot read: skipped, never a broken stream.
        this.log.warn(
          { runId, seq: row.seq, type: row.type },
          "skipped a logged run event this version cannot read",
        );
        continue;
      }
      events.push({
        id: runEventId(runId, row.seq),
        runId,
        threadKey: row.threadKey,
        seq: row.seq,
        event: parsed.data,
      });
    }
    return { events, read: rows.length, lastSeq: rows.at(-1)?.seq };
  }

  private wake(runId: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.waiters.get(runId)?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      signal?.addEventListener("abort", done, { once: true });
      let waiting = this.waiters.get(runId);
      if (!waiting) {
        waiting = new Set();
        this.waiters.set(runId, waiting);
      }
      waiting.add(done);
    });
  }
}

/**
 * One job's events on their way into the log, in the order the job pushed them, written in batches
 * while the job goes on (a write never holds the run up). An event without a run id (an error caught
 * around the job) belongs to the job's run. A failed write is logged and the job carries on: the
 * platform still gets its events; only the log misses them.
 */
export class RunLogWriter {
  private readonly pending: RunEvent[] = [];
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly runLog: RunLog,
    private readonly job: RunKey,
    private readonly log: Logger,
  ) {}

  push(event: RunEvent): void {
    this.pending.push(event.runId ? event : { ...event, runId: this.job.runId });
    this.tail = this.tail.then(() => this.flush());
  }

  /**
   * Resolves once every event pushed is written and, unless the job was suspended (it runs again), the
   * job is counted as ended, so followers of a run that now rests stop.
   */
  close(end: RunEnd): Promise<void> {
    this.tail = this.tail.then(async () => {
      if (end === "suspended") return this.runLog.notify(this.job.runId);
      await this.runLog.jobEnded(this.job.runId).catch((error: unknown) => {
        this.log.error({ err: error, runId: this.job.runId }, "could not record a run's job as ended");
      });
    });
    return this.tail;
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    // A job may carry events of two runs (an overdue approval settled before a new turn): one append each.
    let start = 0;
    while (start < batch.length) {
      const runId = (batch[start] as RunEvent).runId;
      let end = start + 1;
      while (end < batch.length && (batch[end] as RunEvent).runId === runId) end += 1;
      const events = batch.slice(start, end);
      await this.runLog.append({ ...this.job, runId }, events).catch((error: unknown) => {
        this.log.error(
          { err: error, runId, threadKey: this.job.threadKey, events: events.length },
          "could not write run events to the log",
        );
      });
      start = end;
    }
  }
}

function summaryOf(record: RunRecord): RunSummary {
  return {
    runId: record.runId,
    threadKey: record.threadKey,
    platform: record.platform,
    state: record.state,
    live: record.jobs > 0,
    lastSeq: record.lastSeq,
    startedAt: record.startedAt,
    updatedAt: record.updatedAt,
  };
}
