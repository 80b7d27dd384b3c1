import type { LlmMessage } from "../../llm/types.js";
import type { Locale } from "../../vocabulary/index.js";
import type { AgentDefinition, PlannerExample } from "../agents/types.js";
import { similarity } from "./similarity.js";

/**
 * The planner's prompt, built for small models: a few lines of rules, the agents, then one worked
 * example per agent in the request's language, given as earlier exchanges (a base model continues a
 * pattern far better than it follows instructions). The example closest to the request comes last,
 * where a small model looks. Examples come from the registry, so a new agent brings its own.
 */
const LANGUAGE: Record<Locale, string> = { en: "English", ko: "Korean (한국어)" };

export function plannerSystemPrompt(agents: readonly AgentDefinition[], locale: Locale): string {
  return [
    "You plan work for a multi-agent assistant: split the request into steps, each done by one agent.",
    `Agents:\n${agents.map((agent) => `- ${agent.name}: ${agent.description[locale]}`).join("\n")}`,
    "Use one step unless the request asks for several things. depends_on lists the ids of earlier steps whose results a step needs.",
    `Write each task in ${LANGUAGE[locale]}.`,
  ].join("\n");
}

export interface ChosenExample {
  agent: string;
  example: PlannerExample;
}

/** One example per agent (the closest to the request), least similar first. */
export function chooseExamples(
  agents: readonly AgentDefinition[],
  locale: Locale,
  request: string,
): ChosenExample[] {
  const chosen: (ChosenExample & { score: number })[] = [];
  for (const agent of agents) {
    const examples = agent.routing?.examples[locale] ?? [];
    let best: { example: PlannerExample; score: number } | undefined;
    for (const example of examples) {
      const score = similarity(example.request, request);
      if (!best || score > best.score) best = { example, score };
    }
    if (best) chosen.push({ agent: agent.name, ...best });
  }
  return chosen.sort((a, b) => a.score - b.score).map(({ agent, example }) => ({ agent, example }));
}

/** An example's plan as the JSON the planner answers with, keys in the schema's order. */
export function exampleAnswer(agent: string, example: PlannerExample): string {
  return JSON.stringify({
    steps: example.steps.map((step, index) => ({
      id: index + 1,
      agent: step.agent ?? agent,
      task: step.task,
      depends_on: step.depends_on ?? [],
      needs_approval: false,
    })),
  });
}

/** Every example task of every agent in both languages: a plan that copies one is not a plan. */
export function exampleTasks(agents: readonly AgentDefinition[]): string[] {
  return agents.flatMap((agent) =>
    Object.values(agent.routing?.examples ?? {}).flatMap((examples) =>
      examples.flatMap((example) => example.steps.map((step) => step.task)),
    ),
  );
}

export function plannerMessages(input: {
  agents: readonly AgentDefinition[];
  locale: Locale;
  request: string;
  /** Earlier turns, only when the request refers back to them (context.ts). */
  history: string;
  attachments: readonly { name: string; text: string }[];
}): LlmMessage[] {
  const messages: LlmMessage[] = [
    { role: "system", content: plannerSystemPrompt(input.agents, input.locale) },
  ];
  for (const { agent, example } of chooseExamples(input.agents, input.locale, input.request)) {
    messages.push({ role: "user", content: `Request: ${example.request}` });
    messages.push({ role: "assistant", content: exampleAnswer(agent, example) });
  }
  const parts = [input.history];
  for (const file of input.attachments)
    parts.push(`Attached file: ${file.name} (${file.text.length} characters)`);
  parts.push(`Request: ${input.request}`);
  messages.push({ role: "user", content: parts.filter(Boolean).join("\n") });
  return messages;
}
