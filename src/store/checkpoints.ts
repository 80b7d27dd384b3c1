import type { Queryable } from "./database.js";

/**
 * Drops a thread's checkpoints (and their pending writes) newer than `checkpointId`, so a run that failed
 * leaves the conversation exactly as it was. Relies on two facts of LangGraph's Postgres checkpointer:
 * its table names, and checkpoint ids being time-ordered UUIDv6 strings that sort as they were created.
 * Blobs are keyed by channel version, not checkpoint; newer orphaned ones are harmless and tiny.
 */
export async function truncateThreadAfter(
  db: Queryable,
  threadId: string,
  checkpointId: string,
): Promise<void> {
  await db.query("DELETE FROM checkpoint_writes WHERE thread_id = $1 AND checkpoint_id > $2", [
    threadId,
    checkpointId,
  ]);
  await db.query("DELETE FROM checkpoints WHERE thread_id = $1 AND checkpoint_id > $2", [
    threadId,
    checkpointId,
  ]);
}
