import { LlamaChat, type LlamaGrammar } from "node-llama-cpp";
import type { z } from "zod";
import { runRequest } from "../policy.js";
import { generateStructured, jsonSchemaOf } from "../structured.js";
import type { LlmCallOptions, LlmClient, LlmMessage, LlmReadiness, StructuredCallOptions } from "../types.js";
import { toGbnfSchema } from "./grammar.js";
import { toChatHistory } from "./prompt.js";
import type { LocalRuntime } from "./runtime.js";

export interface LocalLlmOptions {
  timeoutMs: number;
}

/** Defaults sized for a small model on a few CPU cores: short answers, and room for a plan. */
const CHAT_MAX_TOKENS = 512;
const STRUCTURED_MAX_TOKENS = 1024;

/**
 * The embedded model behind the common interface. Structured calls are constrained by a grammar
 * built from the schema, so the output is JSON of the right shape; zod then checks what a grammar
 * cannot (numeric bounds, refinements). No retries: a local failure does not get better by asking again.
 */
export class LocalLlm implements LlmClient {
  readonly provider = "local";
  readonly model: string;

  constructor(
    readonly runtime: LocalRuntime,
    private readonly options: LocalLlmOptions,
  ) {
    this.model = runtime.name;
  }

  chat(messages: LlmMessage[], options: LlmCallOptions): Promise<string> {
    return this.request(messages, options, undefined);
  }

  async structured<S extends z.ZodType>(
    messages: LlmMessage[],
    schema: S,
    options: StructuredCallOptions,
  ): Promise<z.infer<S>> {
    const { json, hash } = jsonSchemaOf(schema);
    const grammar = await this.runtime.grammar(hash, (llama) =>
      llama.createGrammarForJsonSchema(toGbnfSchema(json) as never),
    );
    return generateStructured({
      messages,
      schema,
      schemaName: options.schemaName,
      provider: this.provider,
      generate: (round) => this.request(round, options, grammar),
    });
  }

  readiness(): LlmReadiness {
    return this.runtime.loaded
      ? { ready: true }
      : { ready: false, reason: `the local model ${this.model} is no longer loaded` };
  }

  close(): Promise<void> {
    return this.runtime.close();
  }

  private request(
    messages: LlmMessage[],
    options: LlmCallOptions,
    grammar: LlamaGrammar | undefined,
  ): Promise<string> {
    const history = toChatHistory(messages, {
      primed: this.runtime.style.primed,
      json: grammar !== undefined,
      locale: options.locale,
      fewShot: options.fewShot,
    });
    return runRequest(
      { provider: this.provider, timeoutMs: this.options.timeoutMs, maxRetries: 0, signal: options.signal },
      (signal) =>
        this.runtime.withSequence(signal, async (sequence) => {
          const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: this.runtime.style.wrapper });
          const before = sequence.tokenMeter.getState();
          const started = Date.now();
          try {
            const result = await chat.generateResponse(history, {
              signal,
              grammar,
              maxTokens: options.maxTokens ?? (grammar ? STRUCTURED_MAX_TOKENS : CHAT_MAX_TOKENS),
              temperature: options.temperature ?? 0,
              repeatPenalty: { penalty: 1.15, frequencyPenalty: 0.1 },
              onTextChunk: options.onToken,
            });
            const used = sequence.tokenMeter.diff(before);
            options.onUsage?.({
              provider: this.provider,
              model: this.model,
              purpose: options.purpose,
              inputTokens: used.usedInputTokens,
              outputTokens: used.usedOutputTokens,
              latencyMs: Date.now() - started,
              cached: false,
            });
            return result.response.trim();
          } finally {
            chat.dispose({ disposeSequence: false });
          }
        }),
    );
  }
}
