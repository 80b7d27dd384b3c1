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
});
