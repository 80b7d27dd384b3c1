import { randomBytes } from "node:crypto";
import type { RunnableConfig } from "@langchain/core/runnables";
import type {
  ChannelVersions,
  Checkpoint,
  CheckpointMetadata,
  PendingWrite,
} from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";

/**
 * LangGraph's PostgresSaver with two fixes the conversation service relies on.
 *
 * Branch-safe versions: the JS saver numbers channel versions 1, 2, 3 … and stores blobs keyed by
 * version with ON CONFLICT DO NOTHING, so two branches of one thread (a rewind fork, or a run rolled back
 * and tried again) write different values under the same key and the second is silently lost
 * (langchain-ai/langgraphjs#1812, fix pending in #2584). Versions here are unique yet still ordered:
 * a zero-padded counter plus a random suffix, as the Python saver does.
 *
 * Settling: LangGraph writes checkpoints in the background while the next step runs, and a run that is
 * aborted stops being streamed before its last writes land. `settled(thread)` waits for them, so a
 * rollback or a hand-over to the next process never races a late write.
 */
export class BranchSafePostgresSaver extends PostgresSaver {
  private readonly inflight = new Map<string, Set<Promise<unknown>>>();

  // PostgresSaver is typed for numeric versions, but LangGraph compares versions of either kind and the
  // blob table stores them as text, so string versions work at runtime; the cast only bridges the type.
  override getNextVersion(current: number | undefined): number {
    const raw: unknown = current;
    const counter = typeof raw === "string" ? Number.parseInt(raw, 10) : typeof raw === "number" ? raw : 0;
    const next = (Number.isFinite(counter) ? counter : 0) + 1;
    return `${String(next).padStart(32, "0")}.${randomBytes(8).toString("hex")}` as unknown as number;
  }

  override put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    return this.track(config, super.put(config, checkpoint, metadata, newVersions));
  }

  override putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    return this.track(config, super.putWrites(config, writes, taskId));
  }

  /** Resolves once every write started for `threadId` so far has finished (or failed). */
  async settled(threadId: string): Promise<void> {
    for (;;) {
      const pending = this.inflight.get(threadId);
      if (!pending || pending.size === 0) return;
      await Promise.allSettled([...pending]);
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
