import { t } from "../../i18n/index.js";
import type { LlmMessage } from "../../llm/types.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import type { AgentContext, AgentOutput, AgentStep } from "../agents/types.js";
import { degenerateReason } from "./degenerate.js";

type Answer = { result: string; confidence: number };

const DIRECT: Record<Locale, string> = {
  en: "Answer in English, in two to five full sentences. Do not repeat the question; give the answer itself.",
  ko: "한국어로 두세 문장 이상의 완전한 문장으로 답하세요. 질문을 반복하지 말고 답 자체를 쓰세요.",
};

/** The second prompt: shorter, blunter and without the role text a small model may have parroted. */
export function retryMessages(step: AgentStep, ctx: AgentContext): LlmMessage[] {
  const parts = [`Task: ${step.task}`];
  for (const dep of ctx.dependencies)
    parts.push(`Known from step ${dep.step_id}: ${clip(dep.result, 1_500, "")}`);
  for (const file of ctx.attachments) parts.push(`File ${file.name}:\n${clip(file.text, 3_000, "")}`);
  return [
    { role: "system", content: DIRECT[ctx.locale] },
    { role: "user", content: parts.join("\n") },
  ];
}

/**
 * An agent's answer, checked: a degenerate first answer (answers/degenerate.ts) is asked for once more
 * with a different prompt; if that is degenerate too, the step reports what it really has (the files
 * and earlier results it was given) under an honest note instead of the model's text, with confidence 0.
 */
export async function answerWithRetry(
  step: AgentStep,
  ctx: AgentContext,
  calls: { first: () => Promise<Answer>; retry: () => Promise<Answer> },
): Promise<AgentOutput> {
  const check = {
    locale: ctx.locale,
    prompts: [ctx.request, step.task],
    others: ctx.dependencies.map((dep) => dep.result),
  };
  const first = await calls.first();
  const problem = degenerateReason(first.result, check);
  if (!problem) return { result: first.result.trim(), confidence: first.confidence };
  const second = await calls.retry().catch((error: unknown) => {
    if (ctx.signal.aborted) throw error;
    return undefined;
  });
  if (second && !degenerateReason(second.result, check))
    return { result: second.result.trim(), confidence: second.confidence, degenerate: problem };
  return { result: fallbackResult(ctx), confidence: 0, degenerate: problem, fallback: true };
}

const MATERIAL_CHARS = 1_200;

/** What the step had to work with, quoted, under a note that says the model gave no usable answer. */
export function fallbackResult(ctx: Pick<AgentContext, "locale" | "attachments" | "dependencies">): string {
  const material = [
    ...ctx.attachments.map((file) => `**${file.name}**\n\n${quoted(file.text)}`),
    ...ctx.dependencies.map((dep) => `**${dep.step_id}. ${dep.agent}**\n\n${quoted(dep.result)}`),
  ];
  const note = t(ctx.locale, "answer.degenerate_note");
  if (material.length === 0) return note;
  return [note, "", t(ctx.locale, "answer.fallback_material"), "", ...material].join("\n");
}

function quoted(text: string): string {
  return clip(text.trim(), MATERIAL_CHARS);
}
