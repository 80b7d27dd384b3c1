import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatOpenAICompletions } from "@langchain/openai";
import type { z } from "zod";
import type { Logger } from "../log.js";
import { type PolicyClock, runRequest } from "./policy.js";
import { estimateTokens, generateStructured, isStrictCompatible, jsonSchemaOf } from "./structured.js";
import type { LlmCallOptions, LlmClient, LlmMessage, StructuredCallOptions } from "./types.js";

/** A small current OpenAI model with native structured output. */
export const DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";

export interface OpenAiOptions {
  model: string;
  apiKey?: string | undefined;
  /** An OpenAI-compatible server (Ollama, vLLM, llama.cpp server ...). */
  baseURL?: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff step (tests shorten it). */
  retryBaseDelayMs?: number;
  /** The request policy's clock (tests inject one to see waits without waiting). */
  clock?: PolicyClock | undefined;
  logger?: Logger | undefined;
}

type ResponseFormat = {
  type: "json_schema";
  json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
};

/**
 * OpenAI and OpenAI-compatible servers through `@langchain/openai`. Uses the Chat Completions class
 * rather than `ChatOpenAI`, which may switch some model names to the Responses API that compatible
 * servers do not implement. LangChain's own retries are off: `runRequest` owns the policy.
 */
export class OpenAiLlm implements LlmClient {
  readonly provider: string;
  readonly model: string;
  private readonly clients = new Map<string, ChatOpenAICompletions>();

  constructor(private readonly options: OpenAiOptions) {
    this.model = options.model;
    this.provider = options.baseURL ? "openai-compatible" : "openai";
  }

  async chat(messages: LlmMessage[], options: LlmCallOptions): Promise<string> {
    const started = Date.now();
    const reply = await this.request(messages, options, undefined);
    this.report(options, messages, reply, started);
    return reply.text;
  }

  async structured<S extends z.ZodType>(
    messages: LlmMessage[],
    schema: S,
    options: StructuredCallOptions,
  ): Promise<z.infer<S>> {
    const { json } = jsonSchemaOf(schema);
    const format: ResponseFormat = {
      type: "json_schema",
      // Passed as plain JSON Schema, not zod, so the SDK returns the raw text and a bad answer can
      // be repaired instead of throwing inside the client.
      json_schema: { name: safeName(options.schemaName), schema: json, strict: isStrictCompatible(json) },
    };
    return generateStructured({
      messages,
      schema,
      schemaName: options.schemaName,
      provider: this.provider,
      generate: async (round) => {
        const started = Date.now();
        const reply = await this.request(round, options, format);
        this.report(options, round, reply, started);
        return reply.text;
      },
    });
  }

  private async request(
    messages: LlmMessage[],
    options: LlmCallOptions,
    format: ResponseFormat | undefined,
  ): Promise<{ text: string; inputTokens?: number; outputTokens?: number }> {
    const client = this.client(options);
    return runRequest(
      {
        provider: this.provider,
        timeoutMs: this.options.timeoutMs,
        maxRetries: this.options.maxRetries,
        baseDelayMs: this.options.retryBaseDelayMs,
        signal: options.signal,
        clock: this.options.clock,
        onRetry: ({ attempt, delayMs, error }) =>
          this.options.logger?.warn(
            { purpose: options.purpose, attempt, delayMs: Math.round(delayMs), code: error.code },
            "llm request failed; retrying",
          ),
      },
      async (signal) => {
        // stream() rather than invoke(): a streamed invoke() estimates prompt tokens with a tokenizer
        // LangChain downloads at run time, a request to the internet we neither want nor can make.
        const stream = await client.stream(toLangChain(messages), {
          signal,
          ...(format ? { response_format: format } : {}),
        });
        let text = "";
        let inputTokens: number | undefined;
        let outputTokens: number | undefined;
        for await (const chunk of stream) {
          const piece = textOf(chunk.content);
          if (piece) {
            text += piece;
            options.onToken?.(piece);
          }
          if (chunk.usage_metadata) {
            inputTokens = chunk.usage_metadata.input_tokens;
            outputTokens = chunk.usage_metadata.output_tokens;
          }
        }
        return { text, inputTokens, outputTokens };
      },
    );
  }

  /** One client per (temperature, maxTokens): they are constructor fields in LangChain, not call options. */
  private client(options: LlmCallOptions): ChatOpenAICompletions {
    const key = `${options.temperature ?? ""}|${options.maxTokens ?? ""}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new ChatOpenAICompletions({
        model: this.options.model,
        apiKey: this.options.apiKey ?? "not-needed",
        configuration: this.options.baseURL ? { baseURL: this.options.baseURL } : {},
        maxRetries: 0,
        timeout: this.options.timeoutMs,
        // Streaming for two reasons: callers see tokens as they come, and LangChain sends non-streamed
        // json_schema requests through the SDK's parse(), which throws on a non-JSON answer and so
        // loses the text the repair round needs.
        streaming: true,
        streamUsage: true,
        ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
        ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private report(
    options: LlmCallOptions,
    messages: LlmMessage[],
    reply: { text: string; inputTokens?: number | undefined; outputTokens?: number | undefined },
    started: number,
  ): void {
    options.onUsage?.({
      provider: this.provider,
      model: this.model,
      purpose: options.purpose,
      inputTokens: reply.inputTokens ?? estimateTokens(messages.map((m) => m.content).join("\n")),
      outputTokens: reply.outputTokens ?? estimateTokens(reply.text),
      latencyMs: Date.now() - started,
      cached: false,
    });
  }
}

function toLangChain(messages: LlmMessage[]): BaseMessage[] {
  return messages.map((message) => {
    if (message.role === "system") return new SystemMessage(message.content);
    if (message.role === "assistant") return new AIMessage(message.content);
    return new HumanMessage(message.content);
  });
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === "string" ? part : ((part as { text?: unknown }).text ?? "")))
      .filter((part): part is string => typeof part === "string")
      .join("");
  }
  return "";
}

/** OpenAI accepts `^[a-zA-Z0-9_-]{1,64}$` as a schema name. */
function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "output";
}
