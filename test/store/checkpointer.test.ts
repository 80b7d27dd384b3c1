import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";

const State = Annotation.Root({
  value: Annotation<string>({ reducer: (_, next) => next, default: () => "" }),
});

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
});
