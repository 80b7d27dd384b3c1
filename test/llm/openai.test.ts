import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { OpenAiLlm, type OpenAiOptions } from "../../src/llm/openai.js";
import type { LlmUsage } from "../../src/llm/types.js";
import { isOctoError } from "../../src/vocabulary/index.js";
import { fakeClock } from "./support/fake-clock.js";
import { type FakeOpenAi, startFakeOpenAi } from "./support/fake-openai.js";

const Answer = z.object({ answer: z.string(), confidence: z.number().min(0).max(1) });
const ask = [{ role: "user" as const, content: "What is 2 + 2?" }];

describe("OpenAI provider against an OpenAI-compatible server on 127.0.0.1", () => {
  let server: FakeOpenAi;
  beforeAll(async () => {
    server = await startFakeOpenAi();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  function llm(options: Partial<OpenAiOptions> = {}) {
    return new OpenAiLlm({
      model: "test-model",
      baseURL: server.baseURL,
      timeoutMs: 10_000,
      maxRetries: 2,
      retryBaseDelayMs: 20,
      ...options,
    });
  }

  it("chats and reports the server's token usage", async () => {
    server.reply({ content: "Four.", usage: { prompt_tokens: 12, completion_tokens: 2 } });
    const usage: LlmUsage[] = [];
    const tokens: string[] = [];
    const answer = await llm({ apiKey: "sk-test-key-0000000000" }).chat(ask, {
      purpose: "chat",
      temperature: 0.2,
      maxTokens: 50,
      onUsage: (u) => usage.push(u),
      onToken: (t) => tokens.push(t),
    });
    expect(answer).toBe("Four.");
    expect(tokens.join("")).toBe("Four.");
    const [request] = server.requests;
    expect(request?.body).toMatchObject({ model: "test-model", temperature: 0.2, max_tokens: 50 });
    expect(request?.body.messages).toEqual([{ role: "user", content: "What is 2 + 2?" }]);
    expect(request?.headers.authorization).toBe("Bearer sk-test-key-0000000000");
    expect(usage).toEqual([
      expect.objectContaining({
        provider: "openai-compatible",
        model: "test-model",
        purpose: "chat",
        inputTokens: 12,
        outputTokens: 2,
        cached: false,
      }),
    ]);
  });

  it("asks for native structured output with the zod schema as strict JSON Schema", async () => {
    server.reply({ content: '{"answer":"4","confidence":0.9}' });
    const value = await llm().structured(ask, Answer, { purpose: "intent", schemaName: "answer" });
    expect(value).toEqual({ answer: "4", confidence: 0.9 });
    const format = server.requests[0]?.body.response_format;
    expect(format?.type).toBe("json_schema");
    expect(format?.json_schema).toMatchObject({
      name: "answer",
      strict: true,
      schema: { type: "object", required: ["answer", "confidence"], additionalProperties: false },
    });
  });

  it("sends non-strict JSON Schema when the schema has optional fields", async () => {
    server.reply({ content: '{"answer":"4"}' });
    const schema = z.object({ answer: z.string(), note: z.string().optional() });
    expect(await llm().structured(ask, schema, { purpose: "x", schemaName: "with optional" })).toEqual({
      answer: "4",
    });
    expect(server.requests[0]?.body.response_format?.json_schema).toMatchObject({
      name: "with_optional",
      strict: false,
    });
  });

  it("waits for Retry-After on 429 and then succeeds", async () => {
    server.reply({ status: 429, headers: { "retry-after": "1" } }, { content: "Four." });
    const clock = fakeClock();
    expect(await llm({ clock }).chat(ask, { purpose: "chat" })).toBe("Four.");
    expect(server.requests).toHaveLength(2);
    // One wait, of the server's full second rather than the 20 ms backoff, between the two requests.
    expect(clock.sleeps).toEqual([1_000]);
  });

  it("retries 5xx with backoff and gives up after OCTO_LLM_MAX_RETRIES", async () => {
    server.reply({ status: 503 }, { status: 502 }, { content: "Four." });
    const clock = fakeClock();
    expect(await llm({ maxRetries: 2, clock }).chat(ask, { purpose: "chat" })).toBe("Four.");
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[1]).toBeGreaterThan(clock.sleeps[0] ?? 0);

    server.requests.length = 0;
    server.reply({ status: 500 });
    const error = await llm({ maxRetries: 1 })
      .chat(ask, { purpose: "chat" })
      .catch((e: unknown) => e);
    expect(isOctoError(error, "llm_unavailable")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("reports a rate limit that outlasts the retries as llm_rate_limited", async () => {
    server.reply({ status: 429, headers: { "retry-after-ms": "10" } });
    const error = await llm({ maxRetries: 1 })
      .chat(ask, { purpose: "chat" })
      .catch((e: unknown) => e);
    expect(isOctoError(error, "llm_rate_limited")).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a client error such as 401", async () => {
    server.reply({ status: 401 });
    const error = await llm()
      .chat(ask, { purpose: "chat" })
      .catch((e: unknown) => e);
    expect(isOctoError(error, "llm_unavailable")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it("times out a slow server with llm_timeout", async () => {
    server.reply({ content: "late", delayMs: 3_000 });
    const clock = fakeClock();
    const pending = llm({ timeoutMs: 300, clock })
      .chat(ask, { purpose: "chat" })
      .catch((e: unknown) => e);
    // The deadline passes while the server is still working on the request.
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    clock.expire();
    const error = await pending;
    expect(isOctoError(error, "llm_timeout")).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("stops when the caller aborts, with llm_aborted", async () => {
    server.reply({ content: "late", delayMs: 3_000 });
    const controller = new AbortController();
    const pending = llm()
      .chat(ask, { purpose: "chat", signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    controller.abort(new Error("run abandoned"));
    const error = await pending;
    expect(isOctoError(error, "llm_aborted")).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("repairs invalid JSON once by sending the problem back", async () => {
    server.reply({ content: "Sure! The answer is 4." }, { content: '{"answer":"4","confidence":1}' });
    const usage: LlmUsage[] = [];
    const value = await llm().structured(ask, Answer, {
      purpose: "intent",
      schemaName: "answer",
      onUsage: (u) => usage.push(u),
    });
    expect(value).toEqual({ answer: "4", confidence: 1 });
    expect(server.requests).toHaveLength(2);
    const repair = server.requests[1]?.body.messages ?? [];
    expect(repair.at(-2)).toEqual({ role: "assistant", content: "Sure! The answer is 4." });
    expect(repair.at(-1)?.content).toMatch(/not valid JSON/);
    expect(usage).toHaveLength(2);
  });

  it("fails with llm_invalid_output when the repair is invalid too", async () => {
    server.reply({ content: '{"answer":"4","confidence":7}' });
    const error = await llm()
      .structured(ask, Answer, { purpose: "intent", schemaName: "answer" })
      .catch((e: unknown) => e);
    expect(isOctoError(error, "llm_invalid_output")).toBe(true);
    expect((error as Error).message).toMatch(/confidence/);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body.messages.at(-1)?.content).toMatch(/confidence/);
  });

  it("treats a refused connection as a transient llm_unavailable", async () => {
    const port = await freePort();
    const error = await llm({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 1 })
      .chat(ask, { purpose: "chat" })
      .catch((e: unknown) => e);
    expect(isOctoError(error, "llm_unavailable")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
  });
});

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
