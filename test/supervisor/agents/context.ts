import type { LlmClient } from "../../../src/llm/types.js";
import type { AgentContext } from "../../../src/supervisor/agents/types.js";

/** An agent's context as the executor builds it, with nothing but what the test gives. */
export function agentContext(llm: LlmClient, partial: Partial<AgentContext> = {}): AgentContext {
  return {
    llm,
    locale: "en",
    signal: new AbortController().signal,
    request: "",
    dependencies: [],
    history: [],
    attachments: [],
    tools: {},
    onUsage: () => {},
    ...partial,
  };
}

/** The same model, reporting itself as the embedded one (agents show more of their tools' output to it). */
export function asLocalModel(llm: LlmClient): LlmClient {
  return {
    provider: "local",
    model: "gemma-3-270m",
    chat: (messages, options) => llm.chat(messages, options),
    structured: (messages, schema, options) => llm.structured(messages, schema, options),
  };
}
