import { z } from "zod";
import type { LlmMessage } from "../../llm/types.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import { answerWithRetry, retryMessages } from "../answers/retry.js";
import type {
  AgentContext,
  AgentDefinition,
  AgentOutput,
  AgentRouting,
  AgentStep,
  ApprovalPolicy,
} from "./types.js";

export const AgentAnswerSchema = z.object({
  result: z.string().min(1).describe("The complete work product for the task, in Markdown"),
  confidence: z
    .number()
    .min(0)
    .max(1)
    .describe("How sure you are that the result is correct and complete, 0 to 1"),
});

export const LANGUAGE_RULE: Record<Locale, string> = {
  en: "Write the result in English.",
  ko: "결과는 반드시 한국어로 작성하세요. Write the result in Korean.",
};

/** Bounds what a step sees of earlier work so prompts stay within small local models' context. */
const MAX_CONTEXT_CHARS = 6_000;

/** Like `clip`, but says how much was left out, so the model knows it has a part. */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = clip(text, max, "");
  return `${kept}\n[…${text.length - kept.length} more characters]`;
}

export function agentMessages(role: string, step: AgentStep, ctx: AgentContext): LlmMessage[] {
  const parts = [`Task: ${step.task}`];
  if (step.description && step.description !== step.task) parts.push(`Purpose: ${step.description}`);
  // Repeating the task as the request makes small models echo it back instead of answering.
  if (ctx.request.trim() !== step.task.trim()) parts.push(`The user's request: ${ctx.request}`);
  if (ctx.dependencies.length > 0) {
    const budget = Math.floor(MAX_CONTEXT_CHARS / ctx.dependencies.length);
    parts.push(
      "Results of earlier steps:",
      ...ctx.dependencies.map((d) => `- Step ${d.step_id} (${d.agent}): ${bounded(d.result, budget)}`),
    );
  }
  for (const file of ctx.attachments) {
    // A Parquet file's bytes mean nothing to a model; the data agent reads them.
    if (!file.text && file.data) parts.push(`Attached file ${file.name} (binary table, not shown)`);
    else parts.push(`Attached file ${file.name}:\n${bounded(file.text, MAX_CONTEXT_CHARS)}`);
  }
  if (ctx.history.length > 0) {
    parts.push(
      "Earlier in this conversation:",
      ...ctx.history.map(
        (turn) => `- User: ${bounded(turn.request, 300)}\n  Answer: ${bounded(turn.answer, 500)}`,
      ),
    );
  }
  return [
    { role: "system", content: `${role}\n${LANGUAGE_RULE[ctx.locale]}` },
    { role: "user", content: parts.join("\n") },
  ];
}

/**
 * One call for an agent's answer (`agent:<name>`, or `agent:<name>:retry` a little warmer), with what
 * the step is about in the call's context for logs and the scripted test model.
 */
export function askForAnswer(
  agent: string,
  step: AgentStep,
  ctx: AgentContext,
  call: { messages: LlmMessage[]; retry: boolean; context?: Record<string, unknown> },
): Promise<z.infer<typeof AgentAnswerSchema>> {
  return ctx.llm.structured(call.messages, AgentAnswerSchema, {
    purpose: call.retry ? `agent:${agent}:retry` : `agent:${agent}`,
    schemaName: "agent_answer",
    signal: ctx.signal,
    onUsage: ctx.onUsage,
    locale: ctx.locale,
    ...(call.retry ? { temperature: 0.4 } : {}),
    context: {
      task: step.task,
      locale: ctx.locale,
      request: ctx.request,
      ...call.context,
      ...(call.retry ? { retry: true } : {}),
    },
  });
}

/**
 * An agent whose work is one structured model call with its own role prompt. Agents that use tools
 * implement `run` themselves and can still reuse `agentMessages` for the prompt.
 */
export function llmAgent(spec: {
  name: string;
  description: Record<Locale, string>;
  routing?: AgentRouting;
  approval: ApprovalPolicy;
  role: string;
}): AgentDefinition {
  return {
    name: spec.name,
    description: spec.description,
    ...(spec.routing ? { routing: spec.routing } : {}),
    approval: spec.approval,
    async run(step, ctx): Promise<AgentOutput> {
      const ask = (messages: LlmMessage[], retry: boolean) =>
        askForAnswer(spec.name, step, ctx, {
          messages,
          retry,
          context: { dependencies: ctx.dependencies.length },
        });
      return answerWithRetry(step, ctx, {
        first: () => ask(agentMessages(spec.role, step, ctx), false),
        retry: () => ask(retryMessages(step, ctx), true),
      });
    },
  };
}
