/**
 * The checkpointer's writes as one statement each. The stock PostgresSaver opens a transaction and
 * sends one INSERT per channel blob and per pending write (about 130 statements for a one-step turn);
 * here a checkpoint with its blobs, or a task's writes, is one multi-row statement, atomic on its own
 * (a data-modifying WITH runs to completion whether or not the outer statement reads it). Same rows,
 * same conflict rules as the stock statements.
 */
type Row = readonly unknown[];

export interface Statement {
  text: string;
  values: unknown[];
}

function valuesList(rows: readonly Row[], offset: number): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value) => {
      values.push(value);
      return `$${offset + values.length}`;
    });
    return `(${placeholders.join(", ")})`;
  });
  return { text: tuples.join(", "), values };
}

/** The checkpoint row (6 values) and the blobs of the channels it changed, in one statement. */
export function putCheckpoint(schema: string, checkpoint: Row, blobs: readonly Row[]): Statement {
  const s = `"${schema}"`;
  const upsert = `INSERT INTO ${s}.checkpoints
      (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
    DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata`;
  if (blobs.length === 0) return { text: upsert, values: [...checkpoint] };
  const list = valuesList(blobs, checkpoint.length);
  return {
    text: `WITH blobs AS (
        INSERT INTO ${s}.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
        VALUES ${list.text}
        ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
      ) ${upsert}`,
    values: [...checkpoint, ...list.values],
  };
}

/**
 * A task's writes (8 values each: thread, namespace, checkpoint, task, idx, channel, type, blob).
 * `upsert` (every channel a special one) replaces a row with the same key, otherwise the first row
 * stays. The stock saver wrote rows one by one, so among rows sharing a key the last won an upsert and
 * the first an insert; one statement may not touch a row twice, so those duplicates are dropped first.
 */
export function putWrites(schema: string, rows: readonly Row[], upsert: boolean): Statement | undefined {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const key = JSON.stringify(row.slice(0, 5));
    if (upsert || !byKey.has(key)) byKey.set(key, row);
  }
  if (byKey.size === 0) return undefined;
  const list = valuesList([...byKey.values()], 0);
  const conflict = upsert
    ? "DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob"
    : "DO NOTHING";
  return {
    text: `INSERT INTO "${schema}".checkpoint_writes
        (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob)
      VALUES ${list.text}
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) ${conflict}`,
    values: list.values,
  };
}
