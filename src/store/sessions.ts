import type { Locale, OutputFormat } from "../supervisor/types.js";
import type { Queryable } from "./database.js";

export const SESSION_STATUSES = ["active", "waiting_human", "completed", "failed"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface SessionRecord {
  threadId: string;
  platform: string;
  requester: string;
  status: SessionStatus;
  title: string;
  locale: Locale;
  format: OutputFormat;
  turns: number;
  createdAt: Date;
  updatedAt: Date;
}

interface SessionRow {
  thread_id: string;
  platform: string;
  requester: string;
  status: SessionStatus;
  title: string;
  locale: Locale;
  format: OutputFormat;
  turns: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  "thread_id, platform, requester, status, title, locale, format, turns, created_at, updated_at";

function toRecord(row: SessionRow): SessionRecord {
  return {
    threadId: row.thread_id,
    platform: row.platform,
    requester: row.requester,
    status: row.status,
    title: row.title,
    locale: row.locale,
    format: row.format,
    turns: Number(row.turns),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The persisted session table: one row per conversation thread (thread_id = platform thread key). */
export class SessionStore {
  constructor(private readonly db: Queryable) {}

  /** Creates the session on its first turn, or records a new turn on an existing one. */
  async beginTurn(input: {
    threadId: string;
    platform: string;
    requester: string;
    title: string;
    locale: Locale;
    format: OutputFormat;
  }): Promise<SessionRecord> {
    const result = await this.db.query<SessionRow>(
      `INSERT INTO octo_sessions (thread_id, platform, requester, status, title, locale, format, turns)
       VALUES ($1, $2, $3, 'active', $4, $5, $6, 1)
       ON CONFLICT (thread_id) DO UPDATE
         SET status = 'active', locale = EXCLUDED.locale, format = EXCLUDED.format,
             turns = octo_sessions.turns + 1, updated_at = now()
       RETURNING ${COLUMNS}`,
      [input.threadId, input.platform, input.requester, input.title, input.locale, input.format],
    );
    return toRecord(result.rows[0] as SessionRow);
  }

  async setStatus(threadId: string, status: SessionStatus): Promise<void> {
    await this.db.query("UPDATE octo_sessions SET status = $2, updated_at = now() WHERE thread_id = $1", [
      threadId,
      status,
    ]);
  }

  async setTurns(threadId: string, turns: number): Promise<void> {
    await this.db.query("UPDATE octo_sessions SET turns = $2, updated_at = now() WHERE thread_id = $1", [
      threadId,
      turns,
    ]);
  }

  async get(threadId: string): Promise<SessionRecord | undefined> {
    const result = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM octo_sessions WHERE thread_id = $1`,
      [threadId],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : undefined;
  }

  async listByRequester(requester: string, limit = 50): Promise<SessionRecord[]> {
    const result = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM octo_sessions WHERE requester = $1 ORDER BY updated_at DESC LIMIT $2`,
      [requester, limit],
    );
    return result.rows.map(toRecord);
  }

  async delete(threadId: string): Promise<boolean> {
    const result = await this.db.query("DELETE FROM octo_sessions WHERE thread_id = $1", [threadId]);
    return result.rowCount > 0;
  }
}
