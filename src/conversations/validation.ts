import { clip, isOutputFormat, OctoError, OUTPUT_FORMATS, type OutputFormat } from "../vocabulary/index.js";
import type { DecideInput, SendInput } from "./types.js";

type Checked<T> = { ok: true; value: T } | { ok: false; error: OctoError };

/** Refuses what no run should start from, with the parameters its polite message needs. */
export function validateSend(
  input: SendInput,
  limits: { maxInputChars: number; defaultFormat: OutputFormat },
): Checked<{ text: string; format: OutputFormat }> {
  const text = (input.text ?? "").trim();
  if (text.length === 0) return { ok: false, error: new OctoError("input_empty", "empty message") };
  if (text.length > limits.maxInputChars) {
    return {
      ok: false,
      error: new OctoError("input_too_long", `message of ${text.length} characters`, {
        params: { length: text.length, max: limits.maxInputChars },
      }),
    };
  }
  const format =
    input.format === undefined || input.format === ""
      ? limits.defaultFormat
      : input.format.trim().toLowerCase();
  if (!isOutputFormat(format)) {
    return {
      ok: false,
      error: new OctoError("format_unknown", `unknown format ${input.format}`, {
        params: { format: clip(String(input.format), 40, ""), formats: OUTPUT_FORMATS.join(", ") },
      }),
    };
  }
  return { ok: true, value: { text, format } };
}

export function validateDecision(
  input: DecideInput,
  maxInputChars: number,
): { ok: true; editedTask: string | undefined } | { ok: false; error: OctoError } {
  if (input.decision !== "edit") return { ok: true, editedTask: undefined };
  const task = (input.editedTask ?? "").trim();
  if (task.length === 0) return { ok: false, error: new OctoError("input_empty", "empty edited task") };
  if (task.length > maxInputChars) {
    return {
      ok: false,
      error: new OctoError("input_too_long", "edited task too long", {
        params: { length: task.length, max: maxInputChars },
      }),
    };
  }
  return { ok: true, editedTask: task };
}
