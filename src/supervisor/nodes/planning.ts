import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { historyText } from "../context.js";
import { normalizePlan } from "../plan.js";
import { reportProgress } from "../progress.js";
import { routeRequest } from "../routing/route.js";
import type { SupervisorStateType, SupervisorUpdate } from "../state.js";
import { usageMeter } from "../usage.js";
import type { SupervisorDeps } from "./deps.js";
import { replan } from "./replan.js";

/**
 * Plans the turn as agent steps (routing/route.ts: the model's plan weighed against the request's
 * words). Runs a second time, once, when steps failed: then it proposes replacement steps with the
 * failures in view, keeping what already succeeded and never what the person rejected.
 */
export function planningNode(deps: SupervisorDeps) {
  return async (state: SupervisorStateType, config?: LangGraphRunnableConfig): Promise<SupervisorUpdate> => {
    const turn = state.turn;
    if (!turn) throw new Error("planning ran without a turn");
    const isReplan = state.plan.length > 0;
    reportProgress(config, { kind: "node_started", node: "planning", replan: isReplan });
    const meter = usageMeter();
    if (isReplan)
      return { ...(await replan(deps, state, config?.signal, meter.onUsage)), usage: meter.totals };

    const routed = await routeRequest({
      llm: deps.llm,
      registry: deps.registry,
      agents: deps.registry.definitions,
      maxSteps: deps.maxSteps,
      request: turn.request,
      locale: turn.locale,
      history: historyText(state.turns, turn.request),
      attachments: turn.attachments,
      signal: config?.signal,
      onUsage: meter.onUsage,
    });
    if (routed.modelProblem)
      deps.logger.warn(
        { problem: routed.modelProblem },
        "the model's plan was unusable; planned from keywords",
      );
    const plan = normalizePlan(routed.steps, {
      registry: deps.registry,
      locale: turn.locale,
      request: turn.request,
      maxSteps: deps.maxSteps,
    });
    return { plan, usage: meter.totals };
  };
}
