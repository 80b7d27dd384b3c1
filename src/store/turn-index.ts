import type { OutputFormat } from "../vocabulary/index.js";
import type { Database, Queryable } from "./database.js";

/** One completed turn of a thread's current branch and the checkpoint that ends it. */
export interface IndexedTurn {
  /** 1 for the conversation's first turn. */
  turnIndex: number;
  checkpointId: string;
  /**
   * The version of the state's turns channel at that checkpoint. Unique to the write, so it names this
   * turn's state whatever branch it is read from: a head with the same version has exactly these turns.
   */
  turnsVersion: string;
  runId: string;
  request: string;
  answer: string;
  format: OutputFormat;
  /** When the turn finished, as the checkpointed state records it (ISO 8601). */
  at: string;
}

interface TurnRow {
  turn_index: number;
  checkpoint_id: string;
  turns_version: string;
  run_id: string;
  request: string;
  answer: string;
  format: OutputFormat;
  finished_at: Date;
}

const COLUMNS = "turn_index, checkpoint_id, turns_version, run_id, request, answer, format, finished_at";

function toTurn(row: TurnRow): IndexedTurn {
  return {
    turnIndex: Number(row.turn_index),
    checkpointId: row.checkpoint_id,
    turnsVersion: row.turns_version,
    runId: row.run_id,
    request: row.request,
    answer: row.answer,
    format: row.format,
    at: new Date(row.finished_at).toISOString(),
  };
}

/**
 * The turn-end checkpoints of each thread's current branch, so history and rewind read a few rows
 * instead of walking the checkpoints with their blobs. A derived view kept by the supervisor's runner:
 * rows past a rewind point or a rolled-back run are deleted with them, and a thread whose rows do not
 * match its checkpoints is re-indexed from them.
 */
export class TurnIndexStore {
  constructor(private readonly db: Database) {}

  /** Writes (or rewrites) one turn's row. */
  async record(threadId: string, turn: IndexedTurn): Promise<void> {
    await this.db.query(
      `INSERT INTO octo_turns (thread_id, ${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (thread_id, turn_index) DO UPDATE SET checkpoint_id = EXCLUDED.checkpoint_id,
         turns_version = EXCLUDED.turns_version, run_id = EXCLUDED.run_id, request = EXCLUDED.request, answer = EXCLUDED.answer,
         format = EXCLUDED.format, finished_at = EXCLUDED.finished_at`,
      [threadId, ...valuesOf(turn)],
    );
  }

  /** Replaces every row of the thread, atomically (a re-index). */
  async replace(threadId: string, turns: readonly IndexedTurn[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query("DELETE FROM octo_turns WHERE thread_id = $1", [threadId]);
      if (turns.length > 0) await insertAll(tx, threadId, turns);
    });
  }

  async count(threadId: string): Promise<number> {
    const result = await this.db.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM octo_turns WHERE thread_id = $1",
      [threadId],
    );
    return Number(result.rows[0]?.count ?? 0);
  }

  /** The turn whose end left the turns channel at `turnsVersion`, if the thread has a row for it. */
  async byVersion(threadId: string, turnsVersion: string): Promise<IndexedTurn | undefined> {
    const result = await this.db.query<TurnRow>(
      `SELECT ${COLUMNS} FROM octo_turns WHERE thread_id = $1 AND turns_version = $2`,
      [threadId, turnsVersion],
    );
    const row = result.rows[0];
    return row ? toTurn(row) : undefined;
  }

  /** The newest `limit` turns numbered below `before` (all when undefined), oldest first. */
  async page(threadId: string, limit: number, before: number | undefined): Promise<IndexedTurn[]> {
    const result = await this.db.query<TurnRow>(
      `SELECT ${COLUMNS} FROM octo_turns WHERE thread_id = $1 AND turn_index < $2
        ORDER BY turn_index DESC LIMIT $3`,
      [threadId, before ?? 2_147_483_647, limit],
    );
    return result.rows.map(toTurn).reverse();
  }

  async get(threadId: string, turnIndex: number): Promise<IndexedTurn | undefined> {
    const result = await this.db.query<TurnRow>(
      `SELECT ${COLUMNS} FROM octo_turns WHERE thread_id = $1 AND turn_index = $2`,
      [threadId, turnIndex],
    );
    const row = result.rows[0];
    return row ? toTurn(row) : undefined;
  }

  /** Forgets turns after the first `turns` (a rewind forked before them). */
  async dropTurnsAfter(threadId: string, turns: number): Promise<void> {
    await this.db.query("DELETE FROM octo_turns WHERE thread_id = $1 AND turn_index > $2", [threadId, turns]);
  }

  /**
   * Forgets turns that ended after `checkpointId`, as the checkpoints after it are dropped (a failed run
   * rolled back). Checkpoint ids sort as they were created, as `truncateThreadAfter` relies on too.
   */
  async dropEndedAfter(threadId: string, checkpointId: string): Promise<void> {
    await this.db.query("DELETE FROM octo_turns WHERE thread_id = $1 AND checkpoint_id > $2", [
      threadId,
      checkpointId,
    ]);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.db.query("DELETE FROM octo_turns WHERE thread_id = $1", [threadId]);
  }
}

function valuesOf(turn: IndexedTurn): unknown[] {
  return [
    turn.turnIndex,
    turn.checkpointId,
    turn.turnsVersion,
    turn.runId,
    turn.request,
    turn.answer,
    turn.format,
    turn.at,
  ];
}

/** One statement for any number of rows: a re-index of a long thread is thousands of turns. */
async function insertAll(tx: Queryable, threadId: string, turns: readonly IndexedTurn[]): Promise<void> {
  await tx.query(
    `INSERT INTO octo_turns (thread_id, ${COLUMNS})
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::timestamptz[])`,
    [
      threadId,
      turns.map((t) => t.turnIndex),
      turns.map((t) => t.checkpointId),
      turns.map((t) => t.turnsVersion),
      turns.map((t) => t.runId),
      turns.map((t) => t.request),
      turns.map((t) => t.answer),
      turns.map((t) => t.format),
      turns.map((t) => t.at),
    ],
  );
}
