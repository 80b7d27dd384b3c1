import { z } from "zod";
import {
  type ContractField,
  type ContractTemplate,
  type FieldValue,
  grounded,
  parseValue,
} from "../../tools/contracts/index.js";
import type { AgentContext, AgentStep } from "./types.js";

/**
 * The model's reading of what the patterns missed: one optional string per missing field, each kept
 * only if the request itself says it (see `grounded`). A failed or unusable call costs nothing but
 * the questions it could have saved: the draft is made either way.
 */
export async function modelFacts(
  step: AgentStep,
  ctx: AgentContext,
  template: ContractTemplate,
  fields: readonly ContractField[],
  text: string,
): Promise<Partial<Record<string, FieldValue>>> {
  if (fields.length === 0) return {};
  const schema = z.object(
    Object.fromEntries(
      fields.map((field) => [
        field.name,
        z.string().nullish().describe(`${field.label.en}: ${field.question.en}`),
      ]),
    ),
  );
  let answer: Record<string, string | null | undefined>;
  try {
    answer = (await ctx.llm.structured(
      [
        {
          role: "system",
          content: [
            "You extract the details of a contract from a person's request.",
            "For each field, copy the exact words the request uses for it, or null when the request does not say.",
            "Never invent names, dates, amounts or places. Dates as YYYY-MM-DD.",
          ].join(" "),
        },
        {
          role: "user",
          content: [
            `Request: ${ctx.request}`,
            ...(step.task.trim() !== ctx.request.trim() ? [`Task: ${step.task}`] : []),
            `Contract: ${template.title.en}`,
            "Fields:",
            ...fields.map((field) => `- ${field.name}: ${field.label.en}. ${field.question.en}`),
          ].join("\n"),
        },
      ],
      schema,
      {
        purpose: "agent:contract",
        schemaName: "contract_facts",
        signal: ctx.signal,
        onUsage: ctx.onUsage,
        locale: ctx.locale,
        context: {
          task: step.task,
          locale: ctx.locale,
          request: ctx.request,
          template: template.kind,
          fields: fields.map((field) => field.name),
        },
      },
    )) as Record<string, string | null | undefined>;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return {};
  }
  const values: Partial<Record<string, FieldValue>> = {};
  for (const field of fields) {
    const raw = answer[field.name];
    if (typeof raw !== "string") continue;
    const value = parseValue(field, raw);
    if (value && grounded(value, raw, text)) values[field.name] = value;
  }
  return values;
}
