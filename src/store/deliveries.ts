import type { Queryable } from "./database.js";

/**
 * What a run already put into its thread on the platform (the progress card, each approval card, the
 * answer, the files, a notice), by run: a run carried on by another process after a crash or a deploy
 * edits the same progress card and never posts anything twice.
 */
export class DeliveryStore {
  constructor(private readonly db: Queryable) {}

  /** Items delivered for the run, with the platform's message id where there is one. */
  async of(runId: string): Promise<Map<string, string>> {
    const rows = await this.db.query<{ item: string; message_id: string }>(
      "SELECT item, message_id FROM octo_deliveries WHERE run_id = $1",
      [runId],
    );
    return new Map(rows.rows.map((row) => [row.item, row.message_id]));
  }

  /**
   * Records an item; the first record of an item stands, except that it completes a claim (an empty
   * message id) made by `claim`.
   */
  async record(runId: string, threadId: string, item: string, messageId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO octo_deliveries (run_id, thread_id, item, message_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (run_id, item) DO UPDATE SET message_id = EXCLUDED.message_id
         WHERE octo_deliveries.message_id = ''`,
      [runId, threadId, item, messageId],
    );
  }

  /**
   * Claims the right to post an item (the progress card) before posting it: true for exactly one
   * claimant, across processes; the others wait for its message id (`of`).
   */
  async claim(runId: string, threadId: string, item: string): Promise<boolean> {
    const result = await this.db.query(
      `INSERT INTO octo_deliveries (run_id, thread_id, item, message_id) VALUES ($1, $2, $3, '')
       ON CONFLICT (run_id, item) DO NOTHING RETURNING item`,
      [runId, threadId, item],
    );
    return result.rowCount > 0;
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.db.query("DELETE FROM octo_deliveries WHERE thread_id = $1", [threadId]);
  }
}
