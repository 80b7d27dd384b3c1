import type { Database, Queryable } from "./database.js";

/**
 * What identifies a pending write of a checkpoint (its key in LangGraph's `checkpoint_writes`), as one
 * opaque string so callers can keep a set of them.
 */
const WRITE_KEY = "checkpoint_ns || '/' || task_id || '/' || idx::text";

/** The keys of the pending writes `checkpointId` holds now: the work its superstep already did. */
export async function pendingWriteKeys(
  db: Queryable,
  threadId: string,
  checkpointId: string,
): Promise<string[]> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT ${WRITE_KEY} AS key FROM checkpoint_writes WHERE thread_id = $1 AND checkpoint_id = $2`,
    [threadId, checkpointId],
  );
  return rows.map((row) => row.key);
}

/**
 * Puts a thread back to `checkpointId` as it was when its pending writes were `keep`
 * (`pendingWriteKeys`): drops every newer checkpoint, the writes on them, and the writes added to
 * `checkpointId` itself since. A resumed run writes onto the checkpoint it resumes from (the resume
 * value, the results of its tasks that finished), so dropping only newer checkpoints would leave a
 * rolled-back decision half applied. Relies on two facts of LangGraph's Postgres checkpointer: its table
 * names, and checkpoint ids being time-ordered UUIDv6 strings that sort as they were created. Blobs are
 * keyed by channel version, not checkpoint; newer orphaned ones are harmless and tiny.
 */
export async function truncateThreadAfter(
  db: Pick<Database, "transaction">,
  threadId: string,
  checkpointId: string,
  keep: readonly string[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `DELETE FROM checkpoint_writes WHERE thread_id = $1
         AND (checkpoint_id > $2 OR (checkpoint_id = $2 AND NOT (${WRITE_KEY} = ANY($3::text[]))))`,
      [threadId, checkpointId, [...keep]],
    );
    await tx.query("DELETE FROM checkpoints WHERE thread_id = $1 AND checkpoint_id > $2", [
      threadId,
      checkpointId,
    ]);
  });
}
