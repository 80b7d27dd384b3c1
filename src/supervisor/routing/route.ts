import { z } from "zod";
import { t } from "../../i18n/index.js";
import type { LlmClient, LlmUsage } from "../../llm/types.js";
import type { Locale } from "../../vocabulary/index.js";
import { errorMessage, isOctoError } from "../../vocabulary/index.js";
import type { AgentDefinition } from "../agents/types.js";
import type { ProposedStep } from "../plan.js";
import type { AgentRegistry } from "../registry.js";
import { type CombinedPlan, combinePlans } from "./combine.js";
import { lexicalPrior, type Prior, priorPlan } from "./prior.js";
import { exampleTasks, plannerMessages } from "./prompt.js";
import { nearlySame } from "./similarity.js";

/**
 * The first plan of a turn: the model's proposal (its `agent` an enum of the registry, so a grammar or
 * strict schema can only produce a known agent), its junk cleaned, weighed against the lexical prior.
 * Every variant is returned so the eval can measure the model alone, the prior alone and the two
 * combined on the same call.
 */
export function planSchema(registry: AgentRegistry, min: number, max: number) {
  const names = registry.names as [string, ...string[]];
  return z.object({
    steps: z
      .array(
        z.object({
          id: z.number().int().positive().describe("1, 2, 3 ... in order"),
          agent: z.enum(names).describe("The agent that does the step"),
          task: z.string().min(1).max(240).describe("What the agent must do, self-contained"),
          depends_on: z
            .array(z.number().int())
            .max(max)
            .describe("Ids of earlier steps whose results this step needs; [] if none"),
          needs_approval: z.boolean().describe("true if a human must approve the step first"),
        }),
      )
      .min(min)
      .max(max),
  });
}

export interface RoutedPlan {
  /** The model's plan with junk tasks cleaned, or undefined when its output was unusable. */
  model: ProposedStep[] | undefined;
  /** Why the model's plan was unusable. */
  modelProblem?: string;
  prior: Prior;
  priorSteps: ProposedStep[];
  combined: CombinedPlan;
  /** The combined plan with the notes the person sees. */
  steps: ProposedStep[];
}

export interface RouteInput {
  llm: LlmClient;
  registry: AgentRegistry;
  agents: readonly AgentDefinition[];
  maxSteps: number;
  request: string;
  locale: Locale;
  history: string;
  attachments: readonly { name: string; text: string }[];
  signal?: AbortSignal | undefined;
  onUsage?: (usage: LlmUsage) => void;
}

export async function routeRequest(input: RouteInput): Promise<RoutedPlan> {
  const prior = lexicalPrior(input.request, input.agents);
  const priorSteps = priorPlan(input.request, prior);
  let model: ProposedStep[] | undefined;
  let modelProblem: string | undefined;
  try {
    const proposal = await input.llm.structured(
      plannerMessages(input),
      planSchema(input.registry, 1, input.maxSteps),
      {
        purpose: "plan",
        schemaName: "plan",
        signal: input.signal,
        onUsage: input.onUsage,
        locale: input.locale,
        fewShot: true,
        context: { request: input.request, locale: input.locale, agents: input.registry.names },
      },
    );
    const cleaned = cleanTasks(proposal.steps, input);
    if (cleaned.length > 0) model = cleaned;
    else modelProblem = "every task was empty, copied from an example or in another language";
  } catch (error) {
    // A model that ignores the schema (some OpenAI-compatible servers) still gets a plan: the prior's.
    if (!isOctoError(error, "llm_invalid_output")) throw error;
    modelProblem = errorMessage(error);
  }
  const combined = combinePlans({ model, request: input.request, prior });
  return { model, modelProblem, prior, priorSteps, combined, steps: withNotes(combined, input.locale) };
}

/**
 * Tasks a person could not use become the request itself: empty or punctuation, a copy of a worked
 * example, or written in the other language. A plan where every task was such is no plan.
 */
function cleanTasks(steps: readonly ProposedStep[], input: RouteInput): ProposedStep[] {
  const examples = exampleTasks(input.agents);
  let usable = 0;
  const cleaned = steps.map((step) => {
    const task = step.task.trim();
    const junk =
      !/[\p{L}\p{N}]/u.test(task) ||
      examples.some((example) => nearlySame(example, task)) ||
      wrongLanguage(task, input.locale);
    if (!junk) usable += 1;
    return { ...step, task: junk ? input.request : task };
  });
  return usable > 0 ? cleaned : [];
}

const HANGUL = /[\uac00-\ud7a3]/;

/** Korean tasks name things in Latin letters ("Acme와 NDA 작성"): any Hangul makes a task Korean. */
export function wrongLanguage(text: string, locale: Locale): boolean {
  const hangul = [...text].filter((char) => HANGUL.test(char)).length;
  if (locale === "ko") return hangul === 0 && /\p{L}/u.test(text);
  const letters = [...text].filter((char) => /\p{L}/u.test(char)).length;
  return letters > 0 && hangul / letters > 0.3;
}

function withNotes(plan: CombinedPlan, locale: Locale): ProposedStep[] {
  if (plan.source === "prior") {
    const note = t(locale, "step.routing_fallback");
    return plan.steps.map((step) => ({ ...step, note, routed_by_keywords: true }));
  }
  return plan.steps.map((step) => {
    for (const change of plan.changes) {
      if (change.kind === "replaced" && change.id === step.id)
        return {
          ...step,
          note: t(locale, "step.routing_replaced", { agent: change.from }),
          routed_by_keywords: true,
        };
      if (change.kind === "added" && change.id === step.id)
        return { ...step, note: t(locale, "step.routing_added"), routed_by_keywords: true };
    }
    return step;
  });
}
