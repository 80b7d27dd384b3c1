import type { GbnfJsonSchema } from "node-llama-cpp";
import type { JsonSchema } from "../structured.js";

/**
 * JSON Schema (from zod) to the subset node-llama-cpp compiles into a grammar. Keywords a grammar
 * cannot express (numeric bounds, patterns) are dropped: zod still checks them afterwards and the
 * repair round fixes the rare miss. Unbounded arrays and strings get a ceiling, because a small model
 * held by a grammar can otherwise repeat `1, 2, 3, ...` until it runs out of tokens and the JSON
 * never closes.
 */
export interface GrammarLimits {
  maxItems: number;
  maxLength: number;
}

export const DEFAULT_LIMITS: GrammarLimits = { maxItems: 8, maxLength: 600 };

const FORMATS = new Set(["date-time", "time", "date"]);
const TYPES = new Set(["string", "number", "integer", "boolean", "null", "object", "array"]);

export function toGbnfSchema(schema: JsonSchema, limits: GrammarLimits = DEFAULT_LIMITS): GbnfJsonSchema {
  return convert(schema, limits) as GbnfJsonSchema;
}

function convert(node: unknown, limits: GrammarLimits): Record<string, unknown> {
  if (node === true || !node || typeof node !== "object") return anyScalar();
  const schema = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof schema.description === "string") out.description = schema.description;
  if (schema.$defs && typeof schema.$defs === "object") {
    out.$defs = Object.fromEntries(
      Object.entries(schema.$defs as Record<string, unknown>).map(([name, def]) => [
        name,
        convert(def, limits),
      ]),
    );
  }
  if (typeof schema.$ref === "string") return { ...out, $ref: schema.$ref };
  if ("const" in schema) return { ...out, const: schema.const };
  if (Array.isArray(schema.enum)) return { ...out, enum: schema.enum };
  const alternatives = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) {
    return { ...out, oneOf: alternatives.map((alternative) => convert(alternative, limits)) };
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    // Intersections are rare in our schemas; the first member is the closest a grammar gets.
    return { ...out, ...convert(schema.allOf[0], limits) };
  }

  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
    (type): type is string => typeof type === "string" && TYPES.has(type),
  );
  if (types.length === 0) return { ...out, ...anyScalar() };
  if (types.length > 1) {
    return { ...out, oneOf: types.map((type) => convert({ ...schema, type }, limits)) };
  }
  const type = types[0];
  if (type === "object") {
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    return {
      ...out,
      type: "object",
      properties: Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, convert(value, limits)]),
      ),
      ...(Object.keys(properties).length === 0 && schema.additionalProperties
        ? { additionalProperties: convertAdditional(schema.additionalProperties, limits) }
        : {}),
    };
  }
  if (type === "array") {
    const minItems = typeof schema.minItems === "number" ? schema.minItems : 0;
    const declared = typeof schema.maxItems === "number" ? schema.maxItems : limits.maxItems;
    return {
      ...out,
      type: "array",
      items: convert(schema.items ?? true, limits),
      minItems,
      maxItems: Math.max(minItems, Math.min(declared, limits.maxItems)),
    };
  }
  if (type === "string") {
    if (typeof schema.format === "string" && FORMATS.has(schema.format)) {
      return { ...out, type: "string", format: schema.format };
    }
    const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
    const declared = typeof schema.maxLength === "number" ? schema.maxLength : limits.maxLength;
    return {
      ...out,
      type: "string",
      ...(minLength > 0 ? { minLength } : {}),
      maxLength: Math.max(minLength, Math.min(declared, limits.maxLength)),
    };
  }
  if (type === "number" || type === "integer") {
    const choices = boundedChoices(schema, type === "integer");
    if (choices) return { ...out, enum: choices };
  }
  return { ...out, type };
}

/**
 * A grammar has no numeric bounds, so a small bounded range becomes an explicit list: every integer,
 * or 21 evenly spaced values for a decimal range (a confidence in [0, 1] is then 0, 0.05 ... 1).
 * Without this a small model writes `"confidence": 95` and fails validation twice.
 */
function boundedChoices(schema: Record<string, unknown>, integer: boolean): number[] | undefined {
  const low = bound(schema.minimum, schema.exclusiveMinimum, 1);
  const high = bound(schema.maximum, schema.exclusiveMaximum, -1);
  if (low === undefined || high === undefined || high < low) return undefined;
  if (integer) {
    const first = Math.ceil(low.value + (low.exclusive ? 1e-9 : 0));
    const last = Math.floor(high.value - (high.exclusive ? 1e-9 : 0));
    if (last - first > 200 || last < first) return undefined;
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }
  if (high.value - low.value > 100) return undefined;
  const steps = 20;
  const values = Array.from({ length: steps + 1 }, (_, i) =>
    Number((low.value + ((high.value - low.value) * i) / steps).toFixed(6)),
  );
  return values.filter((v) => !(low.exclusive && v === low.value) && !(high.exclusive && v === high.value));
}

function bound(inclusive: unknown, exclusive: unknown, direction: 1 | -1) {
  const candidates: { value: number; exclusive: boolean }[] = [];
  if (typeof inclusive === "number" && Number.isFinite(inclusive))
    candidates.push({ value: inclusive, exclusive: false });
  if (typeof exclusive === "number" && Number.isFinite(exclusive))
    candidates.push({ value: exclusive, exclusive: true });
  if (candidates.length === 0) return undefined;
  // The tighter bound wins: the larger lower bound, the smaller upper bound.
  return candidates.sort((a, b) => direction * (b.value - a.value))[0];
}

function convertAdditional(value: unknown, limits: GrammarLimits): unknown {
  return value === true ? true : convert(value, limits);
}

/** `{}` in JSON Schema means anything; a grammar needs a closed set, so any scalar. */
function anyScalar(): Record<string, unknown> {
  return { type: ["string", "number", "boolean", "null"] };
}
