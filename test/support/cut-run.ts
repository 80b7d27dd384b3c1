import type { ScriptedLlm } from "../../src/llm/scripted.js";
import type { Store } from "../../src/store/index.js";
import { AgentRegistry, buildSupervisorGraph, newTurnInput } from "../../src/supervisor/index.js";
import { testSupervisorDeps } from "../supervisor/deps.js";
import { withSearchStandIn } from "./prompt-agents.js";

/**
 * What a crash leaves behind: a session still marked active and a run whose checkpoints stop after the
 * plan, with one of its two steps done. Made with the graph itself, stopped mid-stream.
 */
export async function cutShortRun(
  store: Store,
  threadKey: string,
  llm: ScriptedLlm,
  options: { platform?: string; requester?: string } = {},
) {
  const platform = options.platform ?? "console";
  const requester = options.requester ?? "alice";
  // The search step is the one done before the cut: as a model call, which the test's script sees.
  const deps = testSupervisorDeps(llm, { registry: new AgentRegistry(withSearchStandIn()) });
  const graph = buildSupervisorGraph(deps, store.checkpointer);
  await store.sessions.beginTurn({
    threadId: threadKey,
    platform,
    requester,
    title: "search then analyse",
    locale: "en",
    format: "chat",
  });
  const turn = {
    run_id: "run_cut",
    request: "search then analyse",
    format: "chat" as const,
    locale: "en" as const,
    requester,
    started_at: new Date().toISOString(),
    attachments: [],
  };
  const stream = await graph.stream(newTurnInput(turn), {
    configurable: { thread_id: threadKey },
    streamMode: "updates",
  });
  for await (const update of stream) {
    if ("execute_step" in (update as object)) break;
  }
}
