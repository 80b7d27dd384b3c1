import { createHash } from "node:crypto";
import { z } from "zod";
import { clip, OctoError } from "../vocabulary/index.js";
import type { LlmMessage } from "./types.js";

/**
 * What every provider shares for schema-validated output: the JSON Schema sent to the model, the
 * parse-and-validate step, and the single repair round when the model's answer does not fit.
 */
export type JsonSchema = Record<string, unknown>;

const schemaCache = new WeakMap<z.ZodType, { json: JsonSchema; hash: string }>();

/** The schema as JSON Schema (what the model is asked to produce), memoised per zod schema. */
export function jsonSchemaOf(schema: z.ZodType): { json: JsonSchema; hash: string } {
  const known = schemaCache.get(schema);
  if (known) return known;
  const raw = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema;
  const { $schema: _ignored, ...rest } = raw;
  const json = closeObjects(rest) as JsonSchema;
  const entry = { json, hash: sha256(JSON.stringify(json)) };
  schemaCache.set(schema, entry);
  return entry;
}

/** Objects without `additionalProperties` get `false`: zod strips unknown keys anyway, and strict
 * providers (OpenAI) and grammars need a closed shape. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = closeObjects(value);
  if (out.type === "object" && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** OpenAI's strict mode accepts only schemas whose every property is required. */
export function isStrictCompatible(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isStrictCompatible);
  if (!node || typeof node !== "object") return true;
  const record = node as Record<string, unknown>;
  if (record.type === "object" && record.properties && typeof record.properties === "object") {
    const required = new Set(Array.isArray(record.required) ? record.required : []);
    if (Object.keys(record.properties).some((key) => !required.has(key))) return false;
  }
  return Object.values(record).every(isStrictCompatible);
}

export type Validation<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses a model's text as JSON (tolerating a Markdown fence) and validates it with the schema. */
export function validateOutput<S extends z.ZodType>(text: string, schema: S): Validation<z.infer<S>> {
  const body = stripFence(text);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: clip(z.prettifyError(parsed.error), 1_500, "") };
}

function stripFence(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed);
  return fenced?.[1] ?? trimmed;
}

export interface StructuredRun<S extends z.ZodType> {
  messages: LlmMessage[];
  schema: S;
  schemaName: string;
  provider: string;
  /** One model request returning raw text; each round is a separate request. */
  generate(messages: LlmMessage[]): Promise<string>;
}

/** Asks once, and once more with the validation problem when the answer does not fit the schema. */
export async function generateStructured<S extends z.ZodType>(run: StructuredRun<S>): Promise<z.infer<S>> {
  const first = await run.generate(run.messages);
  const checked = validateOutput(first, run.schema);
  if (checked.ok) return checked.value;
  const repair: LlmMessage[] = [
    ...run.messages,
    { role: "assistant", content: clip(first, 4_000, "") },
    {
      role: "user",
      content: `That reply does not match the required JSON schema "${run.schemaName}": ${checked.problem}\nReply again with only the corrected JSON object.`,
    },
  ];
  const second = await run.generate(repair);
  const again = validateOutput(second, run.schema);
  if (again.ok) return again.value;
  throw new OctoError(
    "llm_invalid_output",
    `${run.provider}: the answer for ${run.schemaName} is still invalid after one repair: ${again.problem}`,
    { params: { schema: run.schemaName }, retryable: true },
  );
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A rough token count for servers that report no usage (about four characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
