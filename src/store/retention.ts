import type { Queryable } from "./database.js";

/**
 * The SQL of retention (see conversations/retention.ts): which conversations have been idle since a
 * cutoff, and the batched removal of rows that expire on their own. Every statement touches at most one
 * batch of rows or one thread, so a prune never holds a busy table for long; a thread's own rows are
 * deleted by each store's `deleteThread`, the path `/forget` takes.
 */
export class RetentionStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Up to `limit` thread keys after `after` (in key order) that any table holds, and the key to carry on
   * after. Every table is a source, so rows a thread left anywhere (a crash between two deletes) are
   * found too; each source reads its thread-key index in order.
   */
  async threadsAfter(after: string, limit: number): Promise<{ keys: string[]; next: string | undefined }> {
    // Each source gives its first `limit` keys, so the first `limit` of their union are exact; one
    // statement, so every comparison and the order use the database's one collation.
    const sources = THREAD_SOURCES.map(
      ([table, column]) =>
        `(SELECT DISTINCT ${column} AS key FROM ${table} WHERE ${column} > $1 ORDER BY ${column} LIMIT $2)`,
    );
    const { rows } = await this.db.query<{ key: string }>(
      `SELECT key FROM (${sources.join(" UNION ")}) AS threads ORDER BY key LIMIT $2`,
      [after, limit],
    );
    const keys = rows.map((row) => row.key);
    return { keys, next: keys.length === limit ? keys.at(-1) : undefined };
  }

  /**
   * Of `keys`, those with nothing since `cutoff` and nothing under way: no session, run, approval,
   * checkpoint, turn, rating, delivery or run event at or after it, no session or run still going, no
   * pending approval. The job queue is asked separately (its tables depend on the queue).
   */
  async idleSince(keys: readonly string[], cutoff: Date): Promise<string[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<{ key: string }>(
      `SELECT t.key FROM unnest($1::text[]) AS t(key)
       WHERE NOT EXISTS (SELECT 1 FROM octo_sessions s WHERE s.thread_id = t.key
                           AND (s.updated_at >= $2 OR s.status IN ('active', 'waiting_human')))
         AND NOT EXISTS (SELECT 1 FROM octo_runs r WHERE r.thread_key = t.key
                           AND (r.updated_at >= $2 OR r.jobs > 0
                                OR r.state IN ('queued', 'running', 'waiting_approval')))
         AND NOT EXISTS (SELECT 1 FROM octo_approvals a WHERE a.thread_id = t.key
                           AND (a.created_at >= $2 OR a.decided_at >= $2 OR a.status = 'pending'))
         AND NOT EXISTS (SELECT 1 FROM checkpoints c WHERE c.thread_id = t.key AND c.checkpoint ->> 'ts' >= $3)
         AND NOT EXISTS (SELECT 1 FROM octo_turns u WHERE u.thread_id = t.key AND u.finished_at >= $2)
         AND NOT EXISTS (SELECT 1 FROM octo_feedback f WHERE f.thread_id = t.key AND f.updated_at >= $2)
         AND NOT EXISTS (SELECT 1 FROM octo_deliveries d WHERE d.thread_id = t.key AND d.created_at >= $2)
         AND NOT EXISTS (SELECT 1 FROM octo_run_events e WHERE e.thread_key = t.key AND e.at >= $2)
         AND NOT EXISTS (SELECT 1 FROM octo_retries y WHERE y.thread_id = t.key AND y.created_at >= $2)
       ORDER BY t.key`,
      // LangGraph stamps checkpoints with toISOString(), which orders as text: no cast that a stray
      // value could make fail.
      [keys, cutoff, cutoff.toISOString()],
    );
    return rows.map((row) => row.key);
  }

  /**
   * Rows that lapse by themselves: retry buttons past their expiry, cached model answers expired or
   * unused since `cutoff` (processed-event claims: ProcessedEventStore.prune). Batch by batch; returns
   * how many went, per table.
   */
  async pruneExpired(cutoff: Date, batchSize: number, signal?: AbortSignal): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [table, condition] of EXPIRING) {
      const params = condition.includes("$1") ? [cutoff] : [];
      counts[table] = await deleteInBatches(this.db, table, condition, params, batchSize, signal);
    }
    return counts;
  }
}

/** Every table that holds rows of one thread, and its thread-key column. */
const THREAD_SOURCES: readonly (readonly [string, string])[] = [
  ["octo_sessions", "thread_id"],
  ["checkpoints", "thread_id"],
  ["checkpoint_writes", "thread_id"],
  ["checkpoint_blobs", "thread_id"],
  ["octo_turns", "thread_id"],
  ["octo_runs", "thread_key"],
  ["octo_run_events", "thread_key"],
  ["octo_approvals", "thread_id"],
  ["octo_feedback", "thread_id"],
  ["octo_deliveries", "thread_id"],
];

/** Tables whose rows lapse on their own, and when ($1 is the retention cutoff). */
const EXPIRING: readonly (readonly [string, string])[] = [
  ["octo_retries", "expires_at < now()"],
  ["octo_llm_cache", "expires_at <= now() OR coalesce(last_hit_at, created_at) < $1::timestamptz"],
];

/**
 * `DELETE ... WHERE <condition>`, `batchSize` rows per statement (by ctid, so any table works without a
 * key of its own), until none is left or `signal` fires. Returns how many rows went.
 */
export async function deleteInBatches(
  db: Queryable,
  table: string,
  condition: string,
  params: readonly unknown[],
  batchSize: number,
  signal?: AbortSignal,
): Promise<number> {
  const limit = `$${params.length + 1}`;
  let total = 0;
  for (;;) {
    if (signal?.aborted) return total;
    const result = await db.query(
      `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${condition} LIMIT ${limit})`,
      [...params, batchSize],
    );
    total += result.rowCount;
    if (result.rowCount < batchSize) return total;
  }
}
