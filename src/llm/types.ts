import type { z } from "zod";

/**
 * The one interface the graph uses to talk to a model. Providers (OpenAI, OpenAI-compatible, the
 * embedded local model, the scripted test model) and wrappers (cache, accounting) all implement it.
 */
export type LlmRole = "system" | "user" | "assistant";

export interface LlmMessage {
  role: LlmRole;
  content: string;
}

export interface LlmUsage {
  provider: string;
  model: string;
  purpose: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  cached: boolean;
}

export interface LlmCallOptions {
  /** What the call is for (`intent`, `plan`, `agent:search`, `aggregate` ...): logs, accounting, test scripts. */
  purpose: string;
  signal?: AbortSignal | undefined;
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  /** Structured facts about the call (request, task, locale ...) for logs and the scripted test model. */
  context?: Record<string, unknown> | undefined;
  onUsage?: ((usage: LlmUsage) => void) | undefined;
  /**
   * The language the answer must be in, decided once per turn by the caller. Providers that prime a
   * model with examples pick them in this language rather than guessing it from the prompt's text.
   */
  locale?: "ko" | "en" | undefined;
  /** The messages carry their own worked examples: a provider adds none of its own. */
  fewShot?: boolean | undefined;
  /** Called with each generated text chunk where the provider streams (time-to-first-token). */
  onToken?: ((chunk: string) => void) | undefined;
}

export interface StructuredCallOptions extends LlmCallOptions {
  /** A short identifier for the schema (OpenAI's `json_schema.name`, cache keys, logs). */
  schemaName: string;
}

export interface LlmClient {
  readonly provider: string;
  readonly model: string;
  chat(messages: LlmMessage[], options: LlmCallOptions): Promise<string>;
  /** Returns a value validated by `schema`; throws an OctoError `llm_invalid_output` when it cannot. */
  structured<S extends z.ZodType>(
    messages: LlmMessage[],
    schema: S,
    options: StructuredCallOptions,
  ): Promise<z.infer<S>>;
  /**
   * Whether the model can answer now, without asking it (a readiness probe runs every few seconds):
   * the embedded model says whether it is loaded; a remote provider has none and counts as ready.
   */
  readiness?(): LlmReadiness;
  close?(): Promise<void>;
}

export interface LlmReadiness {
  ready: boolean;
  /** Why not, in one line, when not ready. */
  reason?: string | undefined;
  /** The outcome of the last request, for the operator reading /readyz (never a reason to fail it). */
  lastCall?: { ok: boolean; at: string; error?: string | undefined } | undefined;
}
