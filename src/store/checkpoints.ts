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

/**
 * The thread's current branch as a recursive walk over checkpoint ids: from the head (the newest
 * checkpoint, which is what LangGraph continues from) along parent links, `depth` 0 at the head. After
 * a rewind the thread also holds abandoned branches; they are not reached. `extra` adds columns read
 * from LangGraph's checkpoint rows (`c` is the row).
 */
function branchWalk(extra = ""): string {
  return `WITH RECURSIVE branch AS (
      SELECT c.checkpoint_id, c.parent_checkpoint_id, 0 AS depth${extra} FROM checkpoints c
       WHERE c.thread_id = $1 AND c.checkpoint_ns = '' AND c.checkpoint_id = (
         SELECT max(checkpoint_id) FROM checkpoints WHERE thread_id = $1 AND checkpoint_ns = '')
      UNION ALL
      SELECT c.checkpoint_id, c.parent_checkpoint_id, b.depth + 1${extra} FROM branch b
        JOIN checkpoints c ON c.thread_id = $1 AND c.checkpoint_ns = '' AND c.checkpoint_id = b.parent_checkpoint_id
    )`;
}

/**
 * The newest `limit` checkpoints of the current branch (newest first), or those older than `before`,
 * and how many it has in all.
 */
export async function branchCheckpointIds(
  db: Queryable,
  threadId: string,
  limit: number,
  before?: string,
): Promise<{ ids: string[]; total: number }> {
  // `before`: only checkpoints older than that one on the branch (none when it is not on the branch).
  const result = await db.query<{ total: number; ids: string[] | null }>(
    `${branchWalk()}
     SELECT (SELECT count(*)::int FROM branch) AS total,
            (SELECT array_agg(checkpoint_id ORDER BY depth)
               FROM (SELECT checkpoint_id, depth FROM branch
                      WHERE $3::text IS NULL OR depth > (SELECT depth FROM branch WHERE checkpoint_id = $3)
                      ORDER BY depth LIMIT $2) page) AS ids`,
    [threadId, limit, before ?? null],
  );
  const row = result.rows[0];
  return { ids: row?.ids ?? [], total: Number(row?.total ?? 0) };
}

/**
 * The checkpoints of the current branch at which a turn ended, oldest first, with the version `channel`
 * got there: those where the state's channel holding the completed turns got a new version (the graph's
 * last node is its only writer). Reads channel versions from LangGraph's stored checkpoints, never blobs.
 */
export async function branchTurnEnds(
  db: Queryable,
  threadId: string,
  channel: string,
): Promise<{ checkpointId: string; version: string }[]> {
  const result = await db.query<{ checkpoint_id: string; version: string | null }>(
    `${branchWalk(", c.checkpoint -> 'channel_versions' ->> $2 AS version")}
     SELECT checkpoint_id, version FROM branch ORDER BY depth DESC`,
    [threadId, channel],
  );
  const ends: { checkpointId: string; version: string }[] = [];
  let previous: string | null = null;
  for (const row of result.rows) {
    if (row.version !== null && row.version !== previous)
      ends.push({ checkpointId: row.checkpoint_id, version: row.version });
    previous = row.version;
  }
  return ends;
}

/**
 * The version `channel` has at a checkpoint (the head, the newest one, when `checkpointId` is undefined),
 * null when the channel was never written there; undefined when there is no such checkpoint. Versions
 * are unique to a write (see BranchSafePostgresSaver), so two checkpoints with the same version of a
 * channel hold the same value in it, whatever their branch.
 */
export async function channelVersion(
  db: Queryable,
  threadId: string,
  channel: string,
  checkpointId?: string,
): Promise<{ checkpointId: string; version: string | null } | undefined> {
  const result = await db.query<{ checkpoint_id: string; version: string | null }>(
    `SELECT checkpoint_id, checkpoint -> 'channel_versions' ->> $2 AS version FROM checkpoints
      WHERE thread_id = $1 AND checkpoint_ns = '' AND ($3::text IS NULL OR checkpoint_id = $3)
      ORDER BY checkpoint_id DESC LIMIT 1`,
    [threadId, channel, checkpointId ?? null],
  );
  const row = result.rows[0];
  return row ? { checkpointId: row.checkpoint_id, version: row.version } : undefined;
}

/** The thread's first checkpoint (every branch starts there); undefined for a thread with none. */
export async function firstCheckpointId(db: Queryable, threadId: string): Promise<string | undefined> {
  const result = await db.query<{ checkpoint_id: string | null }>(
    "SELECT min(checkpoint_id) AS checkpoint_id FROM checkpoints WHERE thread_id = $1 AND checkpoint_ns = ''",
    [threadId],
  );
  return result.rows[0]?.checkpoint_id ?? undefined;
}
