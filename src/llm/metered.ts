import type { z } from "zod";
import { type MetricsRecorder, secondsSince } from "../metrics/index.js";
import { errorMessage } from "../vocabulary/index.js";
import type {
  LlmCallOptions,
  LlmClient,
  LlmMessage,
  LlmReadiness,
  LlmUsage,
  StructuredCallOptions,
} from "./types.js";

/**
 * The outermost wrapper of the graph's model client: counts every request (cache hits included) by
 * provider and outcome, its latency, its tokens and whether the cache answered, and remembers the last
 * request's outcome for /readyz. It never changes what a call returns or throws.
 */
export class MeteredLlm implements LlmClient {
  readonly provider: string;
  readonly model: string;
  private last: LlmReadiness["lastCall"];

  constructor(
    private readonly inner: LlmClient,
    private readonly metrics: MetricsRecorder,
  ) {
    this.provider = inner.provider;
    this.model = inner.model;
  }

  chat(messages: LlmMessage[], options: LlmCallOptions): Promise<string> {
    return this.measure(options, (metered) => this.inner.chat(messages, metered));
  }

  structured<S extends z.ZodType>(
    messages: LlmMessage[],
    schema: S,
    options: StructuredCallOptions,
  ): Promise<z.infer<S>> {
    return this.measure(options, (metered) => this.inner.structured(messages, schema, metered));
  }

  readiness(): LlmReadiness {
    return {
      ...(this.inner.readiness?.() ?? { ready: true }),
      ...(this.last ? { lastCall: this.last } : {}),
    };
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }

  private async measure<T, O extends LlmCallOptions>(
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T> {
    const provider = this.provider;
    const started = performance.now();
    const onUsage = (usage: LlmUsage) => {
      if (usage.cached) this.metrics.llmCacheHit({ provider });
      this.metrics.llmTokens({ provider, kind: "prompt" }, usage.inputTokens);
      this.metrics.llmTokens({ provider, kind: "completion" }, usage.outputTokens);
      options.onUsage?.(usage);
    };
    try {
      const value = await call({ ...options, onUsage });
      this.metrics.llmCall({ provider, outcome: "ok" }, secondsSince(started));
      this.last = { ok: true, at: new Date().toISOString() };
      return value;
    } catch (error) {
      this.metrics.llmCall({ provider, outcome: "error" }, secondsSince(started));
      this.last = { ok: false, at: new Date().toISOString(), error: errorMessage(error).slice(0, 200) };
      throw error;
    }
  }
}
