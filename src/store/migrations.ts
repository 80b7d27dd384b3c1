import type { Database, PoolLike } from "./database.js";

/**
 * Our own tables, as an ordered list: a migration's position is its version. Append only; never edit a
 * migration that has shipped. The checkpointer's tables are migrated by PostgresSaver.setup(), under the same lock.
 */
export const MIGRATIONS: readonly { name: string; statements: readonly string[] }[] = [
  {
    name: "sessions",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_sessions (
        thread_id   TEXT PRIMARY KEY,
        platform    TEXT NOT NULL,
        requester   TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('active', 'waiting_human', 'completed', 'failed')),
        title       TEXT NOT NULL DEFAULT '',
        locale      TEXT NOT NULL DEFAULT 'en',
        format      TEXT NOT NULL DEFAULT 'chat',
        turns       INTEGER NOT NULL DEFAULT 0,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
      )`,
      "CREATE INDEX IF NOT EXISTS octo_sessions_requester ON octo_sessions (requester, updated_at DESC)",
    ],
  },
  {
    name: "approvals",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_approvals (
        approval_id  TEXT PRIMARY KEY,
        thread_id    TEXT NOT NULL,
        run_id       TEXT NOT NULL,
        interrupt_id TEXT NOT NULL,
        step_id      INTEGER NOT NULL,
        agent        TEXT NOT NULL,
        task         TEXT NOT NULL,
        reason       TEXT NOT NULL,
        requester    TEXT NOT NULL,
        locale       TEXT NOT NULL DEFAULT 'en',
        status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'edited', 'expired', 'cancelled')),
        decided_by   TEXT,
        decided_at   TIMESTAMPTZ,
        edited_task  TEXT,
        created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at   TIMESTAMPTZ NOT NULL
      )`,
      "CREATE INDEX IF NOT EXISTS octo_approvals_thread ON octo_approvals (thread_id, status)",
    ],
  },
  {
    name: "processed_events",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_processed_events (
        event_key    TEXT PRIMARY KEY,
        processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at   TIMESTAMPTZ NOT NULL
      )`,
      "CREATE INDEX IF NOT EXISTS octo_processed_events_expiry ON octo_processed_events (expires_at)",
    ],
  },
  {
    name: "llm_cache",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_llm_cache (
        cache_key   TEXT PRIMARY KEY,
        provider    TEXT NOT NULL,
        model       TEXT NOT NULL,
        purpose     TEXT NOT NULL,
        response    JSONB NOT NULL,
        hits        INTEGER NOT NULL DEFAULT 0,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_hit_at TIMESTAMPTZ,
        expires_at  TIMESTAMPTZ NOT NULL
      )`,
      "CREATE INDEX IF NOT EXISTS octo_llm_cache_expiry ON octo_llm_cache (expires_at)",
    ],
  },
  {
    name: "retries",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_retries (
        retry_id    TEXT PRIMARY KEY,
        thread_id   TEXT NOT NULL,
        platform    TEXT NOT NULL,
        requester   TEXT NOT NULL,
        request     JSONB NOT NULL,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at  TIMESTAMPTZ NOT NULL,
        used_at     TIMESTAMPTZ
      )`,
      "CREATE INDEX IF NOT EXISTS octo_retries_expiry ON octo_retries (expires_at)",
    ],
  },
  {
    name: "deliveries",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_deliveries (
        run_id      TEXT NOT NULL,
        thread_id   TEXT NOT NULL,
        item        TEXT NOT NULL,
        message_id  TEXT NOT NULL,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, item)
      )`,
      "CREATE INDEX IF NOT EXISTS octo_deliveries_thread ON octo_deliveries (thread_id)",
    ],
  },
  {
    // The in-process job queue's waiting and running jobs (embedded PGlite; on a Postgres server the
    // queue is graphile-worker with its own schema). A thread's jobs run by priority, then job_id.
    name: "jobs",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_jobs (
        job_id      BIGSERIAL PRIMARY KEY,
        thread_key  TEXT NOT NULL,
        kind        TEXT NOT NULL,
        payload     JSONB NOT NULL,
        priority    SMALLINT NOT NULL DEFAULT 0,
        dedupe_key  TEXT UNIQUE,
        attempts    INTEGER NOT NULL DEFAULT 0,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
      )`,
      "CREATE INDEX IF NOT EXISTS octo_jobs_thread ON octo_jobs (thread_key, priority, job_id)",
    ],
  },
  {
    // The turn-end checkpoints of each thread's current branch (src/store/turn-index.ts). Threads from
    // before it have no rows; the runner indexes them from their checkpoints the first time it reads them.
    name: "turn_index",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_turns (
        thread_id     TEXT NOT NULL,
        turn_index    INTEGER NOT NULL CHECK (turn_index > 0),
        checkpoint_id TEXT NOT NULL,
        turns_version TEXT NOT NULL,
        run_id        TEXT NOT NULL,
        request       TEXT NOT NULL,
        answer        TEXT NOT NULL,
        format        TEXT NOT NULL,
        finished_at   TIMESTAMPTZ NOT NULL,
        created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (thread_id, turn_index)
      )`,
      "CREATE INDEX IF NOT EXISTS octo_turns_version ON octo_turns (thread_id, turns_version)",
    ],
  },
  {
    // People's ratings of answers (src/store/feedback.ts): one row per run and person.
    name: "feedback",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_feedback (
        run_id      TEXT NOT NULL,
        rater       TEXT NOT NULL,
        thread_id   TEXT NOT NULL,
        platform    TEXT NOT NULL,
        rating      TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, rater)
      )`,
      "CREATE INDEX IF NOT EXISTS octo_feedback_thread ON octo_feedback (thread_id)",
    ],
  },
  {
    // The run event log (src/store/run-events.ts): every run's events in order, for every platform,
    // read by the HTTP API's streams and the run viewer. A run's row allocates its seqs and counts its
    // jobs (while any waits or runs, followers keep following). Kept until the conversation is forgotten.
    name: "run_events",
    statements: [
      `CREATE TABLE IF NOT EXISTS octo_runs (
        run_id      TEXT PRIMARY KEY,
        thread_key  TEXT NOT NULL,
        platform    TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'waiting_approval', 'completed', 'failed', 'interrupted')),
        jobs        INTEGER NOT NULL DEFAULT 0,
        last_seq    INTEGER NOT NULL DEFAULT 0,
        started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
      )`,
      "CREATE INDEX IF NOT EXISTS octo_runs_thread ON octo_runs (thread_key, started_at DESC)",
      `CREATE TABLE IF NOT EXISTS octo_run_events (
        run_id      TEXT NOT NULL,
        thread_key  TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        type        TEXT NOT NULL,
        event       JSONB NOT NULL,
        at          TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (run_id, seq)
      )`,
      "CREATE INDEX IF NOT EXISTS octo_run_events_thread ON octo_run_events (thread_key)",
    ],
  },
  {
    // What a client attaches to a session it opens (the HTTP API's POST /sessions `metadata`).
    name: "session_metadata",
    statements: [
      "ALTER TABLE octo_sessions ADD COLUMN IF NOT EXISTS metadata JSONB NOT NULL DEFAULT '{}'::jsonb",
    ],
  },
  {
    name: "knowledge_base",
    statements: [
      // In `public`, not the store's schema: an extension is one per database, and a schema dropped with
      // CASCADE (a tenant's, a test's) would take it away from every other schema. Both databases put
      // `public` on the search path, so its operators (`<%`) and `gin_trgm_ops` resolve everywhere.
      "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
      // Chunks of ingested documents. `body` starts with the section's heading, so a heading's words find
      // it; `heading` alone is for citing. Attachments are not stored here (see src/tools/kb/search.ts).
      `CREATE TABLE IF NOT EXISTS octo_kb_chunks (
        source     TEXT NOT NULL,
        ordinal    INTEGER NOT NULL,
        heading    TEXT NOT NULL DEFAULT '',
        body       TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (source, ordinal)
      )`,
      "CREATE INDEX IF NOT EXISTS octo_kb_chunks_body_trgm ON octo_kb_chunks USING gin (body gin_trgm_ops)",
    ],
  },
];

/** Arbitrary constant naming our migration lock among the server's advisory locks. */
const MIGRATION_LOCK = 0x6f63746f;

type Connection = Awaited<ReturnType<PoolLike["connect"]>>;

/**
 * Creates the schema, applies every migration not yet applied, then `alsoUnderLock` (the checkpointer's
 * own setup), once, even with several processes starting together on a fresh database: concurrent
 * `CREATE ... IF NOT EXISTS` of one name is not safe in Postgres (both pass the check, one fails on a
 * catalog unique index). Everything runs on one connection holding a session advisory lock, as the
 * checkpointer's setup cannot run inside our transaction (it probes a table that may not exist yet,
 * which would abort it) and, given a pool of its own, could wait on the very pool it shares with us.
 */
export async function migrate(
  db: Database,
  alsoUnderLock?: (connection: PoolLike) => Promise<void>,
): Promise<number> {
  const connection = await db.pool.connect();
  try {
    await connection.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await connection.query(`CREATE SCHEMA IF NOT EXISTS "${db.schema}"`);
    const count = await applyMigrations(connection);
    await alsoUnderLock?.(onlyConnection(connection));
    await connection.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    connection.release();
    return count;
  } catch (error) {
    // Dropping the connection is what surely ends its session lock, whatever state the failure left.
    connection.release(true);
    throw error;
  }
}

async function applyMigrations(connection: Connection): Promise<number> {
  await connection.query("BEGIN");
  try {
    await connection.query(`CREATE TABLE IF NOT EXISTS octo_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const applied = await connection.query("SELECT version FROM octo_migrations");
    const done = new Set((applied.rows as { version: number }[]).map((row) => Number(row.version)));
    let count = 0;
    for (const [index, migration] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (done.has(version)) continue;
      for (const statement of migration.statements) await connection.query(statement);
      await connection.query("INSERT INTO octo_migrations (version, name) VALUES ($1, $2)", [
        version,
        migration.name,
      ]);
      count += 1;
    }
    await connection.query("COMMIT");
    return count;
  } catch (error) {
    await connection.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** A pool that always hands out `connection`, for a library that wants a pool during set-up. */
function onlyConnection(connection: Connection): PoolLike {
  return {
    query: (sql, params) => connection.query(sql, params),
    connect: async () => ({ query: (sql, params) => connection.query(sql, params), release() {} }),
    end: async () => {},
  };
}
