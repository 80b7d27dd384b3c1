import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { historyText } from "../context.js";
import { normalizePlan, type ProposedStep } from "../plan.js";
import { reportProgress } from "../progress.js";
import type { SupervisorStateType, SupervisorUpdate } from "../state.js";
import type { PlanStep, StepResult } from "../types.js";
import { usageMeter } from "../usage.js";
import type { SupervisorDeps } from "./deps.js";

const ProposedStepSchema = z.object({
  id: z.number().int().positive().describe("1, 2, 3 ... in order"),
  agent: z.string().describe("One of the available agents"),
  task: z.string().describe("What the agent must do, self-contained"),
  description: z.string().describe("Why this step is needed, one short sentence"),
  depends_on: z
    .array(z.number().int())
    .describe("Ids of earlier steps whose results this step needs; [] if none"),
  needs_approval: z.boolean().describe("true if the step is risky and a human must approve it first"),
});

function planSchema(min: number, max: number) {
  return z.object({ steps: z.array(ProposedStepSchema).min(min).max(max) });
}

const RULES = [
  "Rules:",
  "- Use as few steps as the request needs (often one or two).",
  "- Steps that do not need each other's results must have depends_on [] so they run in parallel.",
  "- Write every task and description in the user's language.",
].join("\n");

/**
 * Plans the turn as agent steps. Runs a second time, once, when steps failed: then it proposes
 * replacement steps with the failures in view, keeping what already succeeded.
 */
export function planningNode(deps: SupervisorDeps) {
  const initialSchema = planSchema(1, deps.maxSteps);
  const replanSchema = planSchema(0, deps.maxSteps);

  return async (state: SupervisorStateType, config?: LangGraphRunnableConfig): Promise<SupervisorUpdate> => {
    const turn = state.turn;
    if (!turn) throw new Error("planning ran without a turn");
    const replan = state.plan.length > 0;
    reportProgress(config, { kind: "node_started", node: "planning", replan });
    const meter = usageMeter();
    const common = {
      signal: config?.signal,
      onUsage: meter.onUsage,
      context: {
        request: turn.request,
        locale: turn.locale,
        agents: deps.registry.names,
        category: state.user_intent?.category,
      },
    };
    const system = [
      "You are the planner of a multi-agent assistant. Split the user's request into steps, each done by one agent.",
      `Available agents:\n${deps.registry.describe(turn.locale)}`,
      RULES,
    ].join("\n");

    if (!replan) {
      const proposal = await deps.llm.structured(
        [
          { role: "system", content: system },
          { role: "user", content: userPrompt(state) },
        ],
        initialSchema,
        { ...common, purpose: "plan", schemaName: "plan" },
      );
      const plan = normalizePlan(withFallbackStep(proposal.steps, state), {
        registry: deps.registry,
        locale: turn.locale,
        request: turn.request,
        maxSteps: deps.maxSteps,
      });
      return { plan, usage: meter.totals };
    }

    const results = Object.values(state.step_results);
    const proposal = await deps.llm.structured(
      [
        { role: "system", content: system },
        { role: "user", content: `${userPrompt(state)}\n\n${replanPrompt(state.plan, results)}` },
      ],
      replanSchema,
      {
        ...common,
        purpose: "replan",
        schemaName: "replan",
        context: { ...common.context, failed: failedIds(results) },
      },
    );
    const added = normalizePlan(proposal.steps, {
      registry: deps.registry,
      locale: turn.locale,
      request: turn.request,
      maxSteps: deps.maxSteps,
      existing: state.plan,
      round: 1,
    });
    return { plan: [...state.plan, ...added], replans: state.replans + 1, usage: meter.totals };
  };
}

function userPrompt(state: SupervisorStateType): string {
  const turn = state.turn;
  const parts = [historyText(state.turns), `Request: ${turn?.request ?? ""}`];
  if (state.user_intent) parts.push(`Likely category: ${state.user_intent.category}`);
  for (const file of turn?.attachments ?? [])
    parts.push(`Attached file: ${file.name} (${file.text.length} characters)`);
  return parts.filter(Boolean).join("\n");
}

function replanPrompt(plan: readonly PlanStep[], results: readonly StepResult[]): string {
  const lines = [...results]
    .sort((a, b) => a.step_id - b.step_id)
    .map((r) =>
      r.status === "completed"
        ? `- Step ${r.step_id} (${r.agent}) completed: ${r.result.slice(0, 300)}`
        : `- Step ${r.step_id} (${r.agent}) ${r.status}: ${r.error ?? r.result}`.slice(0, 400),
    );
  return [
    `The plan had ${plan.length} steps. Outcomes:`,
    ...lines,
    "Propose only NEW steps that could still achieve what the failed or skipped steps were for (a different agent or a simpler task).",
    `Number the new steps from ${nextId(plan)}. They may depend on completed steps by their ids. Return an empty list if nothing sensible can be done.`,
  ].join("\n");
}

function nextId(plan: readonly PlanStep[]): number {
  return plan.reduce((max, step) => Math.max(max, step.id), 0) + 1;
}

function failedIds(results: readonly StepResult[]): number[] {
  return results.filter((r) => r.status !== "completed").map((r) => r.step_id);
}

/** A model that proposes no usable step still yields one: the intent's agent on the whole request. */
function withFallbackStep(steps: readonly ProposedStep[], state: SupervisorStateType): ProposedStep[] {
  const usable = steps.filter((step) => step.task.trim().length > 0);
  if (usable.length > 0) return usable;
  const category = state.user_intent?.category ?? "search";
  return [
    {
      id: 1,
      agent: category === "general" ? "search" : category,
      task: state.turn?.request ?? "",
      description: state.user_intent?.summary ?? "",
      depends_on: [],
      needs_approval: false,
    },
  ];
}
