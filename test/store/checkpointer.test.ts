import { Annotation, type BaseCheckpointSaver, END, START, StateGraph } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";

const State = Annotation.Root({
  value: Annotation<string>({ reducer: (_, next) => next, default: () => "" }),
});

const Chat = Annotation.Root({
  request: Annotation<string>({ reducer: (_, next) => next, default: () => "" }),
  replies: Annotation<string[]>({ reducer: (all, next) => [...all, ...next], default: () => [] }),
});

function chatGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(Chat)
    .addNode("reply", (state: typeof Chat.State) => ({ replies: [`re: ${state.request}`] }))
    .addEdge(START, "reply")
    .addEdge("reply", END)
    .compile({ checkpointer });
}

describe.each(DATABASE_KINDS)("checkpointer on %s", (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.destroy();
  });

  // langchain-ai/langgraphjs#1812: integer channel versions made a fork read its sibling's blob.
  it("keeps each branch's own values after a fork from the same checkpoint", async () => {
    const graph = new StateGraph(State)
      .addNode("echo", (state: typeof State.State) => ({ value: state.value }))
      .addEdge(START, "echo")
      .addEdge("echo", END)
      .compile({ checkpointer: store.checkpointer });
    const config = { configurable: { thread_id: "fork" } };
    await graph.invoke({ value: "first" }, config);
    const base = (await graph.getState(config)).config;
    await graph.invoke({ value: "sibling" }, config);
    await graph.updateState(base, {}, "echo");
    await graph.invoke({ value: "fork" }, config);
    expect((await graph.getState(config)).values.value).toBe("fork");
  });

  // Threads from before BranchSafePostgresSaver carry numeric channel versions; LangGraph compares a
  // new string version with an old number, finds it not newer, and no node runs again.
  it("continues a thread first written by the stock PostgresSaver", async () => {
    const config = { configurable: { thread_id: "legacy" } };
    const stock = new PostgresSaver(store.db.pool as never, undefined, { schema: store.db.schema });
    await chatGraph(stock).invoke({ request: "one" }, config);
    await chatGraph(stock).invoke({ request: "two" }, config);

    const graph = chatGraph(store.checkpointer);
    expect((await graph.getState(config)).values.replies).toEqual(["re: one", "re: two"]);
    await graph.invoke({ request: "three" }, config);
    await graph.invoke({ request: "four" }, config);
    expect((await graph.getState(config)).values).toEqual({
      request: "four",
      replies: ["re: one", "re: two", "re: three", "re: four"],
    });
  });

  // The state a thread is in if it was continued before the upgrade existed: string and numeric versions
  // mixed, the last request dropped. It runs again from the next request on.
  it("revives a thread already stuck on mixed versions", async () => {
    const config = { configurable: { thread_id: "stuck" } };
    const stock = new PostgresSaver(store.db.pool as never, undefined, { schema: store.db.schema });
    await chatGraph(stock).invoke({ request: "one" }, config);
    const mintsStrings = Object.assign(stock, { getNextVersion: store.checkpointer.getNextVersion });
    await chatGraph(mintsStrings).invoke({ request: "lost" }, config);
    expect((await chatGraph(mintsStrings).getState(config)).values.replies).toEqual(["re: one"]);

    const graph = chatGraph(store.checkpointer);
    await graph.invoke({ request: "two" }, config);
    expect((await graph.getState(config)).values).toEqual({
      request: "two",
      replies: ["re: one", "re: two"],
    });
  });

  // Writes go to the database as one statement each; what they store must be what the stock saver's
  // one-INSERT-per-row transactions stored, duplicate keys included (special channels share an idx).
  it("stores a checkpoint and its writes as the stock saver does, in one statement each", async () => {
    const stock = new PostgresSaver(store.db.pool as never, undefined, { schema: store.db.schema });
    const pool = store.db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(pool);
    let statements = 0;
    pool.query = (...args: unknown[]) => {
      statements += 1;
      return query(...args);
    };
    const tuples = [];
    for (const [saver, threadId] of [
      [store.checkpointer, "batched"],
      [stock, "stock"],
    ] as const) {
      const config = { configurable: { thread_id: threadId, checkpoint_ns: "" } };
      const checkpoint = {
        v: 4,
        id: `1ef-${threadId}`,
        ts: "2026-01-01T00:00:00.000Z",
        channel_values: { request: "hello", replies: ["a", "b"] },
        channel_versions: { request: "1", replies: "1", empty: "1" },
        versions_seen: {},
      };
      const saved = await saver.put(
        config,
        checkpoint as never,
        { source: "input", step: 0, parents: {} },
        {
          request: "1",
          replies: "1",
          empty: "1",
        },
      );
      await saver.putWrites(
        saved,
        [
          ["__interrupt__", "first"],
          ["__interrupt__", "last"],
        ],
        "task-a",
      );
      await saver.putWrites(
        saved,
        [
          ["replies", ["c"]],
          ["request", "x"],
          ["replies", ["d"]],
        ],
        "task-b",
      );
      if (saver === store.checkpointer) expect(statements).toBe(3);
      tuples.push(await saver.getTuple(saved));
    }
    const [batched, stocked] = tuples;
    expect(batched?.checkpoint.channel_values).toEqual(stocked?.checkpoint.channel_values);
    expect(batched?.pendingWrites).toEqual(stocked?.pendingWrites);
    expect(batched?.pendingWrites).toContainEqual(["task-a", "__interrupt__", "last"]);
  });
});
