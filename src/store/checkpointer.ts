import { randomBytes } from "node:crypto";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";

/**
 * LangGraph's JS PostgresSaver numbers channel versions 1, 2, 3 … and stores blobs keyed by version with
 * ON CONFLICT DO NOTHING, so two branches of one thread (a rewind fork, or a run rolled back and tried
 * again) write different values under the same key and the second is silently lost
 * (langchain-ai/langgraphjs#1812, fix pending in #2584). Versions here are unique yet still ordered:
 * a zero-padded counter plus a random suffix, as the Python saver does.
 */
export class BranchSafePostgresSaver extends PostgresSaver {
  // PostgresSaver is typed for numeric versions, but LangGraph compares versions of either kind and the
  // blob table stores them as text, so string versions work at runtime; the cast only bridges the type.
  override getNextVersion(current: number | undefined): number {
    const raw: unknown = current;
    const counter = typeof raw === "string" ? Number.parseInt(raw, 10) : typeof raw === "number" ? raw : 0;
    const next = (Number.isFinite(counter) ? counter : 0) + 1;
    return `${String(next).padStart(32, "0")}.${randomBytes(8).toString("hex")}` as unknown as number;
  }
}
