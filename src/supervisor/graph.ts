import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { END, START, StateGraph } from "@langchain/langgraph";
import { aggregatorNode } from "./nodes/aggregator.js";
import type { SupervisorDeps } from "./nodes/deps.js";
import { executeStepNode } from "./nodes/execute-step.js";
import { GENERATOR_NODES, generatorNode, respondNode, routeToGenerators } from "./nodes/generate.js";
import { intentUnderstandingNode } from "./nodes/intent.js";
import { planningNode } from "./nodes/planning.js";
import { routeAfterSchedule, scheduleNode } from "./nodes/schedule.js";
import { withStepState } from "./nodes/step-input.js";
import { SupervisorState } from "./state.js";

/** One replan after failures, as the design asks; more would loop on a model that keeps failing. */
const MAX_REPLANS = 1;

/**
 * The supervisor graph:
 * intent_understanding -> planning -> schedule <-> execute_step (parallel Sends, approvals, retries)
 *   -> [planning once more after failures] -> aggregator -> generators (parallel for `all`) -> respond.
 */
export function buildSupervisorGraph(deps: SupervisorDeps, checkpointer?: BaseCheckpointSaver) {
  const generators = Object.values(GENERATOR_NODES);
  const graph = new StateGraph(SupervisorState)
    .addNode("intent_understanding", intentUnderstandingNode(deps))
    .addNode("planning", planningNode(deps))
    .addNode("schedule", scheduleNode())
    .addNode("execute_step", withStepState(executeStepNode(deps)), {
      retryPolicy: {
        maxAttempts: deps.stepAttempts,
        initialInterval: deps.retryInitialMs,
        backoffFactor: 2,
        jitter: true,
        // The node itself decides what is worth retrying: it only throws when another attempt may help.
        retryOn: () => true,
        logWarning: false,
      },
    })
    .addNode("aggregator", aggregatorNode(deps))
    .addNode(GENERATOR_NODES.chat, generatorNode("chat"))
    .addNode(GENERATOR_NODES.graph, generatorNode("graph"))
    .addNode(GENERATOR_NODES.report, generatorNode("report"))
    .addNode(GENERATOR_NODES.json, generatorNode("json"))
    .addNode("respond", respondNode())
    .addEdge(START, "intent_understanding")
    .addEdge("intent_understanding", "planning")
    .addEdge("planning", "schedule")
    .addConditionalEdges("schedule", routeAfterSchedule({ maxReplans: MAX_REPLANS }), [
      "execute_step",
      "planning",
      "aggregator",
    ])
    .addEdge("execute_step", "schedule")
    .addConditionalEdges("aggregator", routeToGenerators, generators);
  for (const node of generators) graph.addEdge(node, "respond");
  graph.addEdge("respond", END);
  return graph.compile(checkpointer ? { checkpointer } : {});
}

export type SupervisorGraph = ReturnType<typeof buildSupervisorGraph>;
