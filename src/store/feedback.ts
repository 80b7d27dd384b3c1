import type { Rating } from "../vocabulary/index.js";
import type { Queryable } from "./database.js";

/** Ratings of one run's answer. */
export interface FeedbackTally {
  up: number;
  down: number;
}

/** How many ratings of each kind one platform has, for a metrics gauge. */
export interface FeedbackCount {
  platform: string;
  rating: Rating;
  count: number;
}

export interface FeedbackInput {
  runId: string;
  threadId: string;
  platform: string;
  rater: string;
  rating: Rating;
}

/**
 * People's 👍 / 👎 on answers: one row per run and person, so a second click by the same person
 * changes their rating rather than adding one. In the database, so every replica counts the same.
 */
export class FeedbackStore {
  constructor(private readonly db: Queryable) {}

  /** Records the rating (or changes an earlier one); resolves with what the person had said before. */
  async rate(input: FeedbackInput): Promise<{ previous: Rating | undefined }> {
    // One statement: concurrent clicks by one person end as one row, whichever lands last.
    const result = await this.db.query<{ previous: Rating | null }>(
      `WITH earlier AS (SELECT rating FROM octo_feedback WHERE run_id = $1 AND rater = $4)
       INSERT INTO octo_feedback (run_id, thread_id, platform, rater, rating) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (run_id, rater) DO UPDATE
         SET rating = EXCLUDED.rating,
             updated_at = CASE WHEN octo_feedback.rating = EXCLUDED.rating
                               THEN octo_feedback.updated_at ELSE now() END
       RETURNING (SELECT rating FROM earlier) AS previous`,
      [input.runId, input.threadId, input.platform, input.rater, input.rating],
    );
    return { previous: result.rows[0]?.previous ?? undefined };
  }

  /** Each rated run of the thread with its counts. */
  async tallies(threadId: string): Promise<Map<string, FeedbackTally>> {
    const result = await this.db.query<{ run_id: string; up: number; down: number }>(
      `SELECT run_id,
              count(*) FILTER (WHERE rating = 'up')::int AS up,
              count(*) FILTER (WHERE rating = 'down')::int AS down
         FROM octo_feedback WHERE thread_id = $1 GROUP BY run_id`,
      [threadId],
    );
    return new Map(result.rows.map((row) => [row.run_id, { up: Number(row.up), down: Number(row.down) }]));
  }

  /** Every rating kept, by platform and rating: what a metrics endpoint reports. */
  async countsByRating(): Promise<FeedbackCount[]> {
    const result = await this.db.query<{ platform: string; rating: Rating; count: number }>(
      `SELECT platform, rating, count(*)::int AS count FROM octo_feedback
        GROUP BY platform, rating ORDER BY platform, rating`,
    );
    return result.rows.map((row) => ({
      platform: row.platform,
      rating: row.rating,
      count: Number(row.count),
    }));
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.db.query("DELETE FROM octo_feedback WHERE thread_id = $1", [threadId]);
  }
}
