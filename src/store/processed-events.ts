import type { Queryable } from "./database.js";
import { deleteInBatches } from "./retention.js";

/**
 * Platform event ids already handled (Slack retries, duplicate deliveries). Claims are atomic in the
 * database, so with several bot processes on one Postgres an event still runs at most once.
 */
export class ProcessedEventStore {
  constructor(private readonly db: Queryable) {}

  /** True for the first claim of `key` within `ttlSeconds`; false for every later one. */
  async claim(key: string, ttlSeconds = 600): Promise<boolean> {
    const result = await this.db.query(
      `INSERT INTO octo_processed_events (event_key, expires_at)
       VALUES ($1, now() + make_interval(secs => $2))
       ON CONFLICT (event_key) DO UPDATE
         SET processed_at = now(), expires_at = EXCLUDED.expires_at
         WHERE octo_processed_events.expires_at < now()
       RETURNING event_key`,
      [key, ttlSeconds],
    );
    return result.rowCount > 0;
  }

  /** Drops expired claims, `batchSize` rows per statement (see retention); returns how many. */
  prune(batchSize = 1_000, signal?: AbortSignal): Promise<number> {
    return deleteInBatches(this.db, "octo_processed_events", "expires_at < now()", [], batchSize, signal);
  }
}
