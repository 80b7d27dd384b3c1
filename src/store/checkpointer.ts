import { randomBytes } from "node:crypto";
import type { RunnableConfig } from "@langchain/core/runnables";
import type {
  ChannelVersions,
  Checkpoint,
  CheckpointMetadata,
  CheckpointTuple,
  PendingWrite,
} from "@langchain/langgraph-checkpoint";
import { WRITES_IDX_MAP } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { putCheckpoint, putWrites } from "./checkpoint-statements.js";
import { withReconnect } from "./reconnect.js";

/**
 * LangGraph's PostgresSaver with two fixes the conversation service relies on.
 *
 * Branch-safe versions: the JS saver numbers channel versions 1, 2, 3 … and stores blobs keyed by
 * version with ON CONFLICT DO NOTHING, so two branches of one thread (a rewind fork, or a run rolled back
 * and tried again) write different values under the same key and the second is silently lost
 * (langchain-ai/langgraphjs#1812, fix pending in #2584). Versions here are unique yet still ordered:
 * a zero-padded counter plus a random suffix, as the Python saver does.
 *
 * Threads written before this class, by the stock saver, carry numeric versions; LangGraph compares a
 * new string version with an old number, finds it not newer, and silently runs nothing. The first read
 * of such a thread rewrites its versions in place (see `upgradeNumericVersions`).
 *
 * One statement per write: a checkpoint with its blobs, and a task's writes, each go to the database as
 * one multi-row statement instead of a transaction of one INSERT per row (checkpoint-statements.ts).
 *
 * Settling: LangGraph writes checkpoints in the background while the next step runs, and a run that is
 * aborted stops being streamed before its last writes land. `settled(thread)` waits for them, so a
 * rollback or a hand-over to the next process never races a late write.
 */
// Checkpoint writes are upserts, so one cut off by a lost connection is written again on a new one.
export class BranchSafePostgresSaver extends PostgresSaver {
  private readonly inflight = new Map<string, Set<Promise<unknown>>>();
  private readonly connections: ConstructorParameters<typeof PostgresSaver>[0];
  private readonly schema: string;

  constructor(...args: ConstructorParameters<typeof PostgresSaver>) {
    super(...args);
    const [pool, , options] = args;
    this.connections = pool;
    this.schema = options?.schema ?? "public";
  }

  // PostgresSaver is typed for numeric versions, but LangGraph compares versions of either kind and the
  // blob table stores them as text, so string versions work at runtime; the cast only bridges the type.
  override getNextVersion(current: number | undefined): number {
    const raw: unknown = current;
    const counter = typeof raw === "string" ? Number.parseInt(raw, 10) : typeof raw === "number" ? raw : 0;
    const next = (Number.isFinite(counter) ? counter : 0) + 1;
    return `${String(next).padStart(COUNTER_DIGITS, "0")}.${randomBytes(8).toString("hex")}` as unknown as number;
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const tuple = await withReconnect(() => super.getTuple(config));
    if (!tuple || !hasNumericVersions(tuple.checkpoint)) return tuple;
    await this.upgradeNumericVersions(String(tuple.config.configurable?.thread_id ?? ""));
    return super.getTuple(config);
  }

  override put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    return this.track(
      config,
      withReconnect(() => this.putInOneStatement(config, checkpoint, metadata, newVersions)),
    );
  }

  override putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    return this.track(
      config,
      withReconnect(() => this.putWritesInOneStatement(config, writes, taskId)),
    );
  }

  private async putInOneStatement(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new Error(`Missing "configurable" field in "config" param`);
    const { thread_id, checkpoint_ns = "", checkpoint_id } = config.configurable;
    const [blobs, serializedMetadata] = await Promise.all([
      this._dumpBlobs(thread_id, checkpoint_ns, checkpoint.channel_values, newVersions),
      this._dumpMetadata(metadata),
    ]);
    const row = [
      thread_id,
      checkpoint_ns,
      checkpoint.id,
      checkpoint_id,
      this._dumpCheckpoint(checkpoint),
      serializedMetadata,
    ];
    const statement = putCheckpoint(this.schema, row, blobs);
    await this.connections.query(statement.text, statement.values);
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } };
  }

  private async putWritesInOneStatement(
    config: RunnableConfig,
    writes: PendingWrite[],
    taskId: string,
  ): Promise<void> {
    const upsert = writes.every(([channel]) => channel in WRITES_IDX_MAP);
    const rows = await this._dumpWrites(
      config.configurable?.thread_id,
      config.configurable?.checkpoint_ns,
      config.configurable?.checkpoint_id,
      taskId,
      writes,
    );
    const statement = putWrites(this.schema, rows, upsert);
    if (statement) await this.connections.query(statement.text, statement.values);
  }

  /** Resolves once every write started for `threadId` so far has finished (or failed). */
  async settled(threadId: string): Promise<void> {
    for (;;) {
      const pending = this.inflight.get(threadId);
      if (!pending || pending.size === 0) return;
      await Promise.allSettled([...pending]);
    }
  }

  /**
   * Version n becomes n zero-padded with an all-zero suffix, in the checkpoints (channel_versions and
   * versions_seen) and in the blob keys alike, so every checkpoint still finds its own blobs, old versions
   * keep their order, and each sorts below what getNextVersion mints after it. All namespaces of the
   * thread at once, in one transaction; idempotent, so replicas doing it together are harmless.
   */
  private async upgradeNumericVersions(threadId: string): Promise<void> {
    const schema = `"${this.schema}"`;
    const upgrade = (versions: string) => `COALESCE((
      SELECT jsonb_object_agg(v.key, CASE WHEN jsonb_typeof(v.value) = 'number'
        THEN to_jsonb(lpad(v.value #>> '{}', ${COUNTER_DIGITS}, '0') || '${LEGACY_SUFFIX}') ELSE v.value END)
      FROM jsonb_each(${versions}) AS v), '{}'::jsonb)`;
    const client = await this.connections.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `UPDATE ${schema}.checkpoints SET checkpoint = checkpoint
           || jsonb_build_object('channel_versions', ${upgrade("checkpoint -> 'channel_versions'")})
           || jsonb_build_object('versions_seen', COALESCE((
                SELECT jsonb_object_agg(seen.key, ${upgrade("seen.value")})
                FROM jsonb_each(checkpoint -> 'versions_seen') AS seen), '{}'::jsonb))
         WHERE thread_id = $1
           AND (jsonb_path_exists(checkpoint, '$.channel_versions.* ? (@.type() == "number")')
             OR jsonb_path_exists(checkpoint, '$.versions_seen.*.* ? (@.type() == "number")'))`,
        [threadId],
      );
      await client.query(
        `INSERT INTO ${schema}.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
         SELECT thread_id, checkpoint_ns, channel, lpad(version, ${COUNTER_DIGITS}, '0') || '${LEGACY_SUFFIX}', type, blob
         FROM ${schema}.checkpoint_blobs WHERE thread_id = $1 AND version ~ '^[0-9]+$'
         ON CONFLICT DO NOTHING`,
        [threadId],
      );
      await client.query(
        `DELETE FROM ${schema}.checkpoint_blobs WHERE thread_id = $1 AND version ~ '^[0-9]+$'`,
        [threadId],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private track<T>(config: RunnableConfig, work: Promise<T>): Promise<T> {
    const threadId = String(config.configurable?.thread_id ?? "");
    let pending = this.inflight.get(threadId);
    if (!pending) {
      pending = new Set();
      this.inflight.set(threadId, pending);
    }
    const set = pending;
    set.add(work);
    void work
      .catch(() => undefined)
      .finally(() => {
        set.delete(work);
        if (set.size === 0 && this.inflight.get(threadId) === set) this.inflight.delete(threadId);
      });
    return work;
  }
}

const COUNTER_DIGITS = 32;
/** Where a minted version has its random part: an upgraded stock version is told apart by zeros. */
const LEGACY_SUFFIX = `.${"0".repeat(16)}`;

function hasNumericVersions(checkpoint: Checkpoint): boolean {
  const numeric = (versions: ChannelVersions | undefined) =>
    Object.values(versions ?? {}).some((version) => typeof version === "number");
  return numeric(checkpoint.channel_versions) || Object.values(checkpoint.versions_seen ?? {}).some(numeric);
}
