import { numbersIn } from "../../vocabulary/index.js";
import { askForAnswer, LANGUAGE_RULE } from "../agents/llm-agent.js";
import type { AgentContext, AgentStep } from "../agents/types.js";
import { degenerateReason } from "./degenerate.js";

export interface GroundedAnswer {
  result: string;
  confidence: number;
  /** Why the first answer was not used, when the second one was. */
  degenerate?: string;
}

export interface GroundedAsk {
  /** The agent asking (the calls' purpose: `agent:<name>`, then `agent:<name>:retry`). */
  agent: string;
  /** The first call's system prompt: the agent's role. */
  role: string;
  /** The second call's: shorter and blunter, for a small model that parroted or wandered. */
  retryRole: string;
  /** The retrieved material as the model reads it, one block per passage or page, after the task. */
  blocks: readonly string[];
  /** The material as structured data, for the call's context (what a scripted model answers from). */
  context: Record<string, unknown>;
  /** Everything the model read (the material, its titles and addresses): the figures it may state. */
  known: string;
}

/**
 * An answer that may say only what the material the agent retrieved says (knowledge-base passages,
 * fetched pages): checked as any answer (answers/degenerate.ts) and also for a figure the material and
 * the task do not have. An unusable first answer is asked for once more; undefined when neither is
 * usable, and the agent shows the material itself. The first call's failure (a timeout, a rate limit)
 * fails the attempt, so the step is retried as any other; a failing second call only ends the asking.
 */
export async function groundedAnswer(
  step: AgentStep,
  ctx: AgentContext,
  { agent, role, retryRole, blocks, context, known: read }: GroundedAsk,
): Promise<GroundedAnswer | undefined> {
  const ask = (system: string, retry: boolean) =>
    askForAnswer(agent, step, ctx, {
      messages: [
        { role: "system", content: `${system}\n${LANGUAGE_RULE[ctx.locale]}` },
        { role: "user", content: [`Task: ${step.task}`, ...blocks].join("\n\n") },
      ],
      retry,
      context,
    });
  const check = {
    locale: ctx.locale,
    prompts: [ctx.request, step.task],
    others: ctx.dependencies.map((dep) => dep.result),
  };
  const known = numbersIn([step.task, ctx.request, read].join("\n"));
  const problemOf = (result: string) =>
    degenerateReason(result, check) ?? (invents(result, known) ? "ungrounded" : undefined);
  const first = await ask(role, false);
  const problem = problemOf(first.result);
  if (!problem) return { result: first.result.trim(), confidence: first.confidence };
  const second = await ask(retryRole, true).catch((error: unknown) => {
    if (ctx.signal.aborted) throw error;
    return undefined;
  });
  if (second && !problemOf(second.result))
    return { result: second.result.trim(), confidence: second.confidence, degenerate: problem };
  return undefined;
}

/**
 * The answer gives a number of two digits or more (a year, an amount, "20 days") that nothing it read
 * has: a small model making up what the source "says". Single digits are let through, since sources
 * write them as words ("three hearts"), and so are citation marks ([1]).
 */
function invents(answer: string, known: Set<number>): boolean {
  return [...numbersIn(answer.replace(/\[\d+\]/g, " "))].some((n) => n >= 10 && !known.has(n));
}

/** Text as a Markdown block quote, so material shown verbatim cannot be mistaken for the answer's own words. */
export function blockQuote(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
}

/** Sections of lines, each joined, empty ones dropped, a blank line between them. */
export function joinSections(...sections: string[][]): string {
  return sections
    .filter((section) => section.length > 0)
    .map((section) => section.join("\n").trimEnd())
    .join("\n\n");
}
