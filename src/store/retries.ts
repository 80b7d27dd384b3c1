import type { Queryable } from "./database.js";

/** What a retry re-sends: the original request, as the original person sent it. */
export interface RetryRequest {
  text: string;
  format: string | undefined;
  attachments: { name: string; text?: string | undefined; mimeType?: string | undefined }[];
}

export interface RetryRecord {
  retryId: string;
  threadId: string;
  platform: string;
  requester: string;
  request: RetryRequest;
}

interface RetryRow {
  retry_id: string;
  thread_id: string;
  platform: string;
  requester: string;
  request: RetryRequest;
}

/**
 * Failed requests that may be tried again. Kept in the database rather than in the adapter so a retry
 * button works after a restart and on any replica, and is used at most once.
 */
export class RetryStore {
  constructor(private readonly db: Queryable) {}

  async create(record: RetryRecord, ttlSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO octo_retries (retry_id, thread_id, platform, requester, request, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
      [
        record.retryId,
        record.threadId,
        record.platform,
        record.requester,
        JSON.stringify(record.request),
        ttlSeconds,
      ],
    );
  }

  /** The retry while it can still be used; undefined when unknown, already used or expired. */
  async usable(retryId: string): Promise<RetryRecord | undefined> {
    const result = await this.db.query<RetryRow>(
      `SELECT retry_id, thread_id, platform, requester, request FROM octo_retries
        WHERE retry_id = $1 AND used_at IS NULL AND expires_at > now()`,
      [retryId],
    );
    return recordOf(result.rows[0]);
  }

  /** Marks the retry used and returns it; undefined when unknown, already used or expired. */
  async claim(retryId: string): Promise<RetryRecord | undefined> {
    const result = await this.db.query<RetryRow>(
      `UPDATE octo_retries SET used_at = now()
        WHERE retry_id = $1 AND used_at IS NULL AND expires_at > now()
        RETURNING retry_id, thread_id, platform, requester, request`,
      [retryId],
    );
    return recordOf(result.rows[0]);
  }

  /**
   * Makes a claimed retry usable again: its turn was refused before it ran (an approval was pending), so
   * the button must still work once the thread is free. Expired retries stay expired.
   */
  async release(retryId: string): Promise<void> {
    await this.db.query("UPDATE octo_retries SET used_at = NULL WHERE retry_id = $1", [retryId]);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.db.query("DELETE FROM octo_retries WHERE thread_id = $1 OR expires_at < now()", [threadId]);
  }
}

function recordOf(row: RetryRow | undefined): RetryRecord | undefined {
  if (!row) return undefined;
  const request = typeof row.request === "string" ? (JSON.parse(row.request) as RetryRequest) : row.request;
  return {
    retryId: row.retry_id,
    threadId: row.thread_id,
    platform: row.platform,
    requester: row.requester,
    request,
  };
}
