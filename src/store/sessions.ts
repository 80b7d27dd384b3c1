import type { Locale, OutputFormat } from "../vocabulary/index.js";
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
  /** What the client that opened it attached (HTTP API sessions); `{}` otherwise. */
  metadata: Record<string, unknown>;
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
  metadata: Record<string, unknown> | string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  "thread_id, platform, requester, status, title, locale, format, turns, metadata, created_at, updated_at";

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
    metadata: (typeof row.metadata === "string" ? JSON.parse(row.metadata) : row.metadata) ?? {},
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The persisted session table: one row per conversation thread (thread_id = platform thread key). */
export class SessionStore {
  constructor(private readonly db: Queryable) {}

  /** Creates the session on its first turn, or marks an existing one active again for a new turn. */
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
       VALUES ($1, $2, $3, 'active', $4, $5, $6, 0)
       ON CONFLICT (thread_id) DO UPDATE
         SET status = 'active', locale = EXCLUDED.locale, format = EXCLUDED.format, updated_at = now()
       RETURNING ${COLUMNS}`,
      [input.threadId, input.platform, input.requester, input.title, input.locale, input.format],
    );
    return toRecord(result.rows[0] as SessionRow);
  }

  /**
   * Opens a conversation before its first turn (idle: `completed`, no turns); an existing one is left as
   * it is. Resolves with the row and whether this call created it.
   */
  async create(input: {
    threadId: string;
    platform: string;
    requester: string;
    title: string;
    locale: Locale;
    format: OutputFormat;
    metadata: Record<string, unknown>;
  }): Promise<{ record: SessionRecord; created: boolean }> {
    const inserted = await this.db.query<SessionRow>(
      `INSERT INTO octo_sessions (thread_id, platform, requester, status, title, locale, format, turns, metadata)
       VALUES ($1, $2, $3, 'completed', $4, $5, $6, 0, $7::jsonb)
       ON CONFLICT (thread_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        input.threadId,
        input.platform,
        input.requester,
        input.title,
        input.locale,
        input.format,
        JSON.stringify(input.metadata),
      ],
    );
    const row = inserted.rows[0];
    if (row) return { record: toRecord(row), created: true };
    const existing = await this.get(input.threadId);
    if (!existing) throw new Error(`session ${input.threadId} neither created nor found`);
    return { record: existing, created: false };
  }

  /** Changes what a client may change of a session; undefined when there is none. */
  async update(
    threadId: string,
    changes: { title?: string; status?: SessionStatus; metadata?: Record<string, unknown> },
  ): Promise<SessionRecord | undefined> {
    const result = await this.db.query<SessionRow>(
      `UPDATE octo_sessions
          SET title = COALESCE($2, title), status = COALESCE($3, status),
              metadata = COALESCE($4::jsonb, metadata), updated_at = now()
        WHERE thread_id = $1
        RETURNING ${COLUMNS}`,
      [
        threadId,
        changes.title ?? null,
        changes.status ?? null,
        changes.metadata === undefined ? null : JSON.stringify(changes.metadata),
      ],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : undefined;
  }

  async setStatus(threadId: string, status: SessionStatus): Promise<void> {
    await this.db.query("UPDATE octo_sessions SET status = $2, updated_at = now() WHERE thread_id = $1", [
      threadId,
      status,
    ]);
  }

  /** Records where a turn (or a rewind) left the conversation: its status and completed turn count. */
  async settle(threadId: string, status: SessionStatus, turns: number): Promise<void> {
    await this.db.query(
      "UPDATE octo_sessions SET status = $2, turns = $3, updated_at = now() WHERE thread_id = $1",
      [threadId, status, turns],
    );
  }

  /** Puts back a row exactly as it was before a failed turn (or removes one that turn created). */
  async restore(threadId: string, previous: SessionRecord | undefined): Promise<void> {
    if (!previous) {
      await this.delete(threadId);
      return;
    }
    await this.db.query(
      "UPDATE octo_sessions SET status = $2, turns = $3, locale = $4, format = $5, updated_at = $6 WHERE thread_id = $1",
      [threadId, previous.status, previous.turns, previous.locale, previous.format, previous.updatedAt],
    );
  }

  async get(threadId: string): Promise<SessionRecord | undefined> {
    const result = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM octo_sessions WHERE thread_id = $1`,
      [threadId],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : undefined;
  }

  /** The requester's sessions, most recent first; only those of `platform` when it is given. */
  async listByRequester(requester: string, limit = 50, platform?: string): Promise<SessionRecord[]> {
    const result = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM octo_sessions WHERE requester = $1 AND ($3::text IS NULL OR platform = $3)
       ORDER BY updated_at DESC LIMIT $2`,
      [requester, limit, platform ?? null],
    );
    return result.rows.map(toRecord);
  }

  /** Sessions of a platform still marked as running: their run was cut short (a crash, a kill -9). */
  async listActive(platform: string): Promise<SessionRecord[]> {
    const result = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM octo_sessions WHERE platform = $1 AND status = 'active' ORDER BY updated_at`,
      [platform],
    );
    return result.rows.map(toRecord);
  }

  async delete(threadId: string): Promise<boolean> {
    const result = await this.db.query("DELETE FROM octo_sessions WHERE thread_id = $1", [threadId]);
    return result.rowCount > 0;
  }
}
