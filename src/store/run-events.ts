import type { Queryable } from "./database.js";

/**
 * Where a run stands, as its last logged event says: `queued` before any event, `interrupted` when a
 * shutdown cut it short (it carries on wherever its job runs next).
 */
export const RUN_STATES = [
  "queued",
  "running",
  "waiting_approval",
  "completed",
  "failed",
  "interrupted",
] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunRecord {
  runId: string;
  threadKey: string;
  platform: string;
  state: RunState;
  /** Jobs of this run waiting or running (its turn, a decision, a run carried on); 0 once it rests. */
  jobs: number;
  /** The seq of its latest event; 0 before the first. */
  lastSeq: number;
  startedAt: Date;
  updatedAt: Date;
}

export interface RunEventRecord {
  runId: string;
  threadKey: string;
  /** 1, 2, 3 ... within the run, in the order the events were written, without gaps. */
  seq: number;
  type: string;
  event: unknown;
  at: Date;
}

/** An event to append, with the run's state once it is written. */
export interface NewRunEvent {
  type: string;
  at: string;
  event: Record<string, unknown>;
}

export interface RunKey {
  runId: string;
  threadKey: string;
  platform: string;
}

interface RunRow {
  run_id: string;
  thread_key: string;
  platform: string;
  state: RunState;
  jobs: number;
  last_seq: number;
  started_at: Date;
  updated_at: Date;
}

interface EventRow {
  run_id: string;
  thread_key: string;
  seq: number;
  type: string;
  event: unknown;
  at: Date;
}

const RUN_COLUMNS = "run_id, thread_key, platform, state, jobs, last_seq, started_at, updated_at";

function toRun(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    threadKey: row.thread_key,
    platform: row.platform,
    state: row.state,
    jobs: Number(row.jobs),
    lastSeq: Number(row.last_seq),
    startedAt: new Date(row.started_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toEvent(row: EventRow): RunEventRecord {
  return {
    runId: row.run_id,
    threadKey: row.thread_key,
    seq: Number(row.seq),
    type: row.type,
    event: typeof row.event === "string" ? JSON.parse(row.event) : row.event,
    at: new Date(row.at),
  };
}

/**
 * The run event log (`octo_runs`, `octo_run_events`): every event of every run, on every platform, in
 * order, written by whichever process runs the job. A run's row allocates its seqs: the statement that
 * appends holds the row's lock until it commits, so seqs are gapless and visible in order, whoever
 * writes (the process running the job, or the one that recorded a decision), and a reader that saw
 * seq n misses nothing below it.
 */
export class RunEventStore {
  constructor(private readonly db: Queryable) {}

  /** Counts a job added for the run (in the job's own transaction); creates the run, `queued`. */
  async jobAdded(run: RunKey): Promise<void> {
    await this.db.query(
      `INSERT INTO octo_runs (run_id, thread_key, platform, state, jobs, last_seq)
       VALUES ($1, $2, $3, 'queued', 1, 0)
       ON CONFLICT (run_id) DO UPDATE SET jobs = octo_runs.jobs + 1, updated_at = now()`,
      [run.runId, run.threadKey, run.platform],
    );
  }

  /** A job of the run is finished (not one released to run again). */
  async jobEnded(runId: string): Promise<void> {
    await this.db.query(
      "UPDATE octo_runs SET jobs = GREATEST(jobs - 1, 0), updated_at = now() WHERE run_id = $1",
      [runId],
    );
  }

  /** Appends events in order in one statement; resolves with their seqs. */
  async append(run: RunKey, events: readonly NewRunEvent[], state: RunState): Promise<number[]> {
    if (events.length === 0) return [];
    const result = await this.db.query<{ seq: number }>(
      `WITH run AS (
         INSERT INTO octo_runs (run_id, thread_key, platform, state, jobs, last_seq)
         VALUES ($1, $2, $3, $4, 0, $5)
         ON CONFLICT (run_id) DO UPDATE
           SET last_seq = octo_runs.last_seq + $5, state = EXCLUDED.state, updated_at = now()
         RETURNING last_seq
       )
       INSERT INTO octo_run_events (run_id, thread_key, seq, type, event, at)
       SELECT $1, $2, run.last_seq - $5 + e.n, e.value->>'type', e.value->'event', (e.value->>'at')::timestamptz
       FROM run, jsonb_array_elements($6::jsonb) WITH ORDINALITY AS e(value, n)
       RETURNING seq`,
      [
        run.runId,
        run.threadKey,
        run.platform,
        state,
        events.length,
        JSON.stringify(events.map((e) => ({ type: e.type, at: e.at, event: e.event }))),
      ],
    );
    return result.rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
  }

  /** The run's events after `afterSeq`, oldest first, at most `limit`. */
  async events(runId: string, afterSeq: number, limit: number): Promise<RunEventRecord[]> {
    const result = await this.db.query<EventRow>(
      `SELECT run_id, thread_key, seq, type, event, at FROM octo_run_events
       WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [runId, afterSeq, limit],
    );
    return result.rows.map(toEvent);
  }

  async run(runId: string): Promise<RunRecord | undefined> {
    const result = await this.db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM octo_runs WHERE run_id = $1`, [
      runId,
    ]);
    const row = result.rows[0];
    return row ? toRun(row) : undefined;
  }

  /** The thread's runs, newest first. */
  async runs(threadKey: string, limit: number): Promise<RunRecord[]> {
    const result = await this.db.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM octo_runs WHERE thread_key = $1 ORDER BY started_at DESC, run_id DESC LIMIT $2`,
      [threadKey, limit],
    );
    return result.rows.map(toRun);
  }

  async deleteThread(threadKey: string): Promise<void> {
    await this.db.query("DELETE FROM octo_run_events WHERE thread_key = $1", [threadKey]);
    await this.db.query("DELETE FROM octo_runs WHERE thread_key = $1", [threadKey]);
  }
}
