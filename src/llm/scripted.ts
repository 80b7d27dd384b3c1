import { readFileSync } from "node:fs";
import { z } from "zod";
import { clip, OctoError } from "../vocabulary/index.js";
import type { LlmCallOptions, LlmClient, LlmMessage, StructuredCallOptions } from "./types.js";

/**
 * A deterministic model for tests, demos and benchmarks: no weights, no network. Each call is answered
 * by a handler chosen by the call's purpose (`plan`, `agent:code` ...), from the call's `context`.
 * Structured answers still go through the caller's zod schema, so a schema drift fails the tests.
 */
export interface ScriptedCall {
  purpose: string;
  messages: LlmMessage[];
  context: Record<string, unknown>;
  schemaName: string | undefined;
  /** The language the caller asked the answer to be in (LlmCallOptions.locale). */
  locale: "ko" | "en" | undefined;
}

export type ScriptedHandler = (call: ScriptedCall) => unknown | Promise<unknown>;

export interface ScriptedOptions {
  /** Fixed latency per call (benchmarks fake a model at e.g. 200 ms). */
  delayMs?: number;
  /** Handlers by exact purpose, then by the part before ':' (`agent`). */
  handlers?: Record<string, ScriptedHandler>;
  /**
   * Keep every call in `calls` (default true, for a test's assertions). A bot serving on the scripted
   * model (OCTO_LLM=scripted) or a soak keeps none: the log would grow with every conversation.
   */
  recordCalls?: boolean;
}

/** Keywords that make the default planner pick an agent (English and Korean). */
const AGENT_KEYWORDS: Record<string, RegExp> = {
  search: /\b(search|find|look\s*up|research)\b|검색|찾아|조사/i,
  web: /\b(web|url|https?:\/\/\S+|site|website|crawl|page)\b|웹|사이트|크롤/i,
  contract: /\b(contract|agreement|nda|clause)\b|계약/i,
  code: /\b(code|script|function|program|implement)\b|코드|프로그램|함수/i,
  data: /\b(data|analy[sz]e|analysis|csv|statistics|chart)\b|데이터|분석|통계/i,
};

const SEQUENTIAL = /\b(then|after that|afterwards)\b|다음에|후에|그 다음/i;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function matchedAgents(request: string, available: readonly string[]): string[] {
  const hits = available
    .map((agent) => {
      const pattern = AGENT_KEYWORDS[agent];
      const match = pattern ? pattern.exec(request) : null;
      return { agent, at: match ? match.index : -1 };
    })
    .filter((hit) => hit.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((hit) => hit.agent);
  return hits;
}

function agentNames(context: Record<string, unknown>): string[] {
  const agents = context.agents;
  return Array.isArray(agents)
    ? agents.filter((a): a is string => typeof a === "string")
    : Object.keys(AGENT_KEYWORDS);
}

const DEFAULT_HANDLERS: Record<string, ScriptedHandler> = {
  intent({ context }) {
    const request = text(context.request);
    const [first] = matchedAgents(request, agentNames(context));
    return { category: first ?? "search", summary: clip(request, 120, "") };
  },
  plan({ context }) {
    const request = text(context.request);
    const agents = matchedAgents(request, agentNames(context));
    const chosen = agents.length > 0 ? agents : ["search"];
    const sequential = SEQUENTIAL.test(request);
    return {
      steps: chosen.map((agent, index) => ({
        id: index + 1,
        agent,
        task: clip(`${agent}: ${request}`, 400, ""),
        description: `${agent} step for the request`,
        depends_on: sequential && index > 0 ? [index] : [],
        needs_approval: false,
      })),
    };
  },
  replan() {
    return { steps: [] };
  },
  agent({ purpose, context }) {
    const agent = purpose.split(":")[1] ?? "agent";
    const task = text(context.task);
    const locale = context.locale === "ko" ? "ko" : "en";
    const result =
      locale === "ko"
        ? `${agent} 에이전트가 "${task}" 작업을 처리했습니다.`
        : `The ${agent} agent handled "${task}".`;
    // An agent that shows passages gets an answer grounded in the first one, as a real model's would
    // be, so the agent's checks (echo, invented figures) let it through to the person.
    const [passage] = Array.isArray(context.passages) ? (context.passages as Record<string, unknown>[]) : [];
    const read = passage ? clip(text(passage.text).replace(/\s+/g, " ").trim(), 300, "") : "";
    const cited = typeof passage?.number === "number" ? passage.number : 1;
    return { result: read ? `${result} [${cited}] ${read}` : result, confidence: 0.8 };
  },
  aggregate({ context }) {
    const results = Array.isArray(context.results) ? (context.results as { result?: unknown }[]) : [];
    const answer = results
      .map((r) => text(r.result))
      .filter(Boolean)
      .join("\n");
    return {
      final_answer: answer || text(context.request),
      insights: results.slice(0, 3).map((r, index) => ({
        category: index === 0 ? "recommendation" : "observation",
        description: clip(text(r.result), 200, "") || "-",
        importance: Math.max(0.1, 0.9 - index * 0.2),
      })),
    };
  },
};

export class ScriptedLlm implements LlmClient {
  readonly provider = "scripted";
  readonly model = "scripted-v1";
  /** Every call, in order, for assertions. */
  readonly calls: ScriptedCall[] = [];
  private readonly handlers: Record<string, ScriptedHandler>;
  private readonly delayMs: number;
  private readonly recordCalls: boolean;

  constructor(options: ScriptedOptions = {}) {
    this.handlers = { ...DEFAULT_HANDLERS, ...options.handlers };
    this.delayMs = options.delayMs ?? 0;
    this.recordCalls = options.recordCalls ?? true;
  }

  /** Builds a scripted model from a JSON file: `{ "delayMs": 200, "replies": { "agent:code": {...} } }`. */
  static fromFile(file: string, options: Pick<ScriptedOptions, "recordCalls"> = {}): ScriptedLlm {
    const spec = ScriptFileSchema.parse(JSON.parse(readFileSync(file, "utf8")));
    const handlers: Record<string, ScriptedHandler> = {};
    for (const [purpose, reply] of Object.entries(spec.replies)) handlers[purpose] = () => reply;
    for (const [purpose, failure] of Object.entries(spec.fail)) {
      handlers[purpose] = () => {
        throw failure === "timeout"
          ? new OctoError("llm_timeout", `scripted timeout for ${purpose}`, { retryable: true })
          : new OctoError("llm_invalid_output", `scripted invalid output for ${purpose}`);
      };
    }
    return new ScriptedLlm({ ...options, delayMs: spec.delayMs, handlers });
  }

  async chat(messages: LlmMessage[], options: LlmCallOptions): Promise<string> {
    const value = await this.answer(messages, options, undefined);
    const out = typeof value === "string" ? value : JSON.stringify(value);
    options.onToken?.(out);
    return out;
  }

  async structured<S extends z.ZodType>(
    messages: LlmMessage[],
    schema: S,
    options: StructuredCallOptions,
  ): Promise<z.infer<S>> {
    const value = await this.answer(messages, options, options.schemaName);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new OctoError(
        "llm_invalid_output",
        `scripted reply for ${options.purpose} does not match ${options.schemaName}`,
        {
          cause: parsed.error,
        },
      );
    }
    return parsed.data;
  }

  private async answer(messages: LlmMessage[], options: LlmCallOptions, schemaName: string | undefined) {
    const call: ScriptedCall = {
      purpose: options.purpose,
      messages,
      context: options.context ?? {},
      schemaName,
      locale: options.locale,
    };
    if (this.recordCalls) this.calls.push(call);
    const started = Date.now();
    if (this.delayMs > 0) await sleep(this.delayMs, options.signal);
    if (options.signal?.aborted) throw new OctoError("llm_aborted", "call aborted");
    const handler = this.handlers[options.purpose] ?? this.handlers[options.purpose.split(":")[0] ?? ""];
    if (!handler) throw new OctoError("llm_invalid_output", `no scripted reply for ${options.purpose}`);
    const value = await handler(call);
    const rendered = typeof value === "string" ? value : JSON.stringify(value);
    options.onUsage?.({
      provider: this.provider,
      model: this.model,
      purpose: options.purpose,
      inputTokens: Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4),
      outputTokens: Math.ceil((rendered?.length ?? 0) / 4),
      latencyMs: Date.now() - started,
      cached: false,
    });
    return value;
  }
}

const ScriptFileSchema = z.object({
  delayMs: z.number().int().nonnegative().default(0),
  replies: z.record(z.string(), z.unknown()).default({}),
  fail: z.record(z.string(), z.enum(["invalid", "timeout"])).default({}),
});

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new OctoError("llm_aborted", "call aborted"));
      },
      { once: true },
    );
  });
}
