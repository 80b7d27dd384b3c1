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
  override getNextVersion(current: string | number | undefined): string {
    const counter =
      current === undefined ? 0 : typeof current === "number" ? current : Number.parseInt(current, 10);
    const next = (Number.isFinite(counter) ? counter : 0) + 1;
    return `${String(next).padStart(32, "0")}.${randomBytes(8).toString("hex")}`;
  }
}
