import { describe, expect, it } from "vitest";
import { z } from "zod";
import { classifyFailure, retryAfterOf } from "../../src/llm/failures.js";
import { toGbnfSchema } from "../../src/llm/local/grammar.js";
import { looksKorean, toChatHistory } from "../../src/llm/local/prompt.js";
import { runRequest } from "../../src/llm/policy.js";
import {
  generateStructured,
  isStrictCompatible,
  jsonSchemaOf,
  validateOutput,
} from "../../src/llm/structured.js";
import { isOctoError, OctoError } from "../../src/vocabulary/index.js";
import { fakeClock } from "./support/fake-clock.js";

describe("structured output helpers", () => {
  it("turns a zod schema into closed JSON Schema and knows when OpenAI strict mode fits", () => {
    const strict = jsonSchemaOf(z.object({ a: z.string(), b: z.array(z.object({ c: z.number() })) }));
    expect(strict.json).toMatchObject({
      type: "object",
      additionalProperties: false,
      properties: { b: { items: { additionalProperties: false } } },
    });
    expect(strict.json).not.toHaveProperty("$schema");
    expect(isStrictCompatible(strict.json)).toBe(true);
    expect(isStrictCompatible(jsonSchemaOf(z.object({ a: z.string().optional() })).json)).toBe(false);
    expect(jsonSchemaOf(z.object({ a: z.string() })).hash).not.toBe(
      jsonSchemaOf(z.object({ a: z.number() })).hash,
    );
  });

  it("validates JSON, tolerating a Markdown fence, and explains what is wrong", () => {
    const schema = z.object({ n: z.number().max(3) });
    expect(validateOutput('```json\n{"n": 2}\n```', schema)).toEqual({ ok: true, value: { n: 2 } });
    expect(validateOutput("{n: 2}", schema)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not valid JSON/),
    });
    expect(validateOutput('{"n": 9}', schema)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/n/),
    });
  });

  it("repairs exactly once", async () => {
    const seen: number[] = [];
    const answers = ["nope", "still nope", '{"ok": true}'];
    const error = await generateStructured({
      messages: [{ role: "user", content: "x" }],
      schema: z.object({ ok: z.boolean() }),
      schemaName: "s",
      provider: "test",
      generate: async (messages) => {
        seen.push(messages.length);
        return answers.shift() ?? "";
      },
    }).catch((e: unknown) => e);
    expect(isOctoError(error, "llm_invalid_output")).toBe(true);
    expect(seen).toEqual([1, 3]);
  });
});

describe("grammar schema for the local model", () => {
  it("caps unbounded arrays and strings, keeps declared bounds and enums, maps unions", () => {
    const schema = jsonSchemaOf(
      z.object({
        tags: z.array(z.string()),
        few: z.array(z.number().int().positive()).max(3),
        kind: z.enum(["a", "b"]),
        note: z.string().nullable(),
        when: z.iso.datetime(),
      }),
    ).json;
    const gbnf = toGbnfSchema(schema, { maxItems: 5, maxLength: 100 }) as unknown as {
      properties: Record<string, Record<string, unknown> & { items: object; oneOf: unknown[] }>;
    };
    expect(gbnf.properties.tags).toEqual({
      type: "array",
      items: { type: "string", maxLength: 100 },
      minItems: 0,
      maxItems: 5,
    });
    expect(gbnf.properties.few).toMatchObject({ maxItems: 3, items: { type: "integer" } });
    expect(gbnf.properties.few?.items).not.toHaveProperty("exclusiveMinimum");
    expect(gbnf.properties.kind).toEqual({ enum: ["a", "b"] });
    expect(gbnf.properties.note?.oneOf).toEqual([{ type: "string", maxLength: 100 }, { type: "null" }]);
    expect(gbnf.properties.when?.type).toBe("string");
  });

  it("lists the values of small bounded numeric ranges, which a grammar cannot bound otherwise", () => {
    const schema = jsonSchemaOf(
      z.object({
        confidence: z.number().min(0).max(1),
        rating: z.number().int().min(1).max(5),
        open: z.number().gt(0).lt(1),
        id: z.number().int().positive(),
      }),
    ).json;
    const { properties } = toGbnfSchema(schema) as unknown as {
      properties: Record<string, { enum?: number[] }>;
    };
    expect(properties.confidence?.enum).toHaveLength(21);
    expect(properties.confidence?.enum?.slice(0, 3)).toEqual([0, 0.05, 0.1]);
    expect(properties.rating?.enum).toEqual([1, 2, 3, 4, 5]);
    expect(properties.open?.enum).not.toContain(0);
    expect(properties.open?.enum).not.toContain(1);
    expect(properties.id).toEqual({ type: "integer" });
  });
});

describe("failure classification and the request policy", () => {
  it("reads Retry-After in seconds, as a date, and OpenAI's retry-after-ms", () => {
    expect(retryAfterOf({ headers: new Headers({ "retry-after": "2" }) })).toBe(2_000);
    expect(retryAfterOf({ headers: { "retry-after-ms": "150" } })).toBe(150);
    const date = "Wed, 21 Oct 2026 07:28:05 GMT";
    const now = Date.parse(date) - 5_000;
    expect(retryAfterOf({ headers: new Headers({ "retry-after": date }) }, now)).toBe(5_000);
    expect(retryAfterOf({ headers: new Headers({ "retry-after": date }) }, now + 9_000)).toBe(0);
    expect(retryAfterOf({})).toBeUndefined();
  });

  it("maps statuses and socket errors to codes, and quota exhaustion is not retried", () => {
    expect(classifyFailure({ status: 429, message: "slow down" }, "p")).toMatchObject({ transient: true });
    expect(classifyFailure({ status: 429, code: "insufficient_quota" }, "p").transient).toBe(false);
    expect(classifyFailure({ status: 503 }, "p").error.code).toBe("llm_unavailable");
    expect(classifyFailure({ status: 400 }, "p")).toMatchObject({ transient: false });
    const socket = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
    expect(classifyFailure(socket, "p")).toMatchObject({ transient: true });
    const mine = new OctoError("llm_invalid_output", "x");
    expect(classifyFailure(mine, "p").error).toBe(mine);
  });

  it("waits at least Retry-After, and fails fast when the wait would pass the deadline", async () => {
    const clock = fakeClock();
    const attempts: number[] = [];
    const started = clock.now();
    const value = await runRequest(
      { provider: "p", timeoutMs: 5_000, maxRetries: 3, baseDelayMs: 1, clock },
      async () => {
        attempts.push(clock.now() - started);
        if (attempts.length === 1) throw { status: 429, headers: { "retry-after-ms": "300" } };
        return "done";
      },
    );
    expect(value).toBe("done");
    // One wait of exactly the server's 300 ms (the 1 ms backoff is shorter), between the two attempts.
    expect(clock.sleeps).toEqual([300]);
    expect(attempts).toEqual([0, 300]);

    const quick = fakeClock();
    let tries = 0;
    const error = await runRequest(
      { provider: "p", timeoutMs: 1_000, maxRetries: 3, clock: quick },
      async () => {
        tries += 1;
        throw { status: 429, headers: { "retry-after": "30" } };
      },
    ).catch((e: unknown) => e);
    expect(isOctoError(error, "llm_rate_limited")).toBe(true);
    expect(tries).toBe(1);
    expect(quick.sleeps).toEqual([]);
  });

  it("backs off exponentially between transient failures and stops at maxRetries", async () => {
    const clock = fakeClock();
    let tries = 0;
    const error = await runRequest(
      { provider: "p", timeoutMs: 60_000, maxRetries: 3, baseDelayMs: 100, clock },
      async () => {
        tries += 1;
        throw { status: 503 };
      },
    ).catch((e: unknown) => e);
    expect(isOctoError(error, "llm_unavailable")).toBe(true);
    expect(tries).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
    // Jitter keeps each wait within [half, full] of 100, 200, 400 ms.
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it("reports llm_timeout when the deadline passes during an attempt, without retrying", async () => {
    const clock = fakeClock();
    const order: string[] = [];
    const error = await runRequest({ provider: "p", timeoutMs: 1_000, maxRetries: 3, clock }, (signal) => {
      order.push("attempt");
      return new Promise((_, reject) => {
        signal.addEventListener("abort", () => {
          order.push("aborted");
          reject(signal.reason);
        });
        clock.expire();
      });
    }).catch((e: unknown) => e);
    expect(isOctoError(error, "llm_timeout")).toBe(true);
    expect(order).toEqual(["attempt", "aborted"]);
  });

  it("never waits past the deadline for a provider call that ignores the abort and never settles", async () => {
    const clock = fakeClock();
    let attempts = 0;
    const request = runRequest({ provider: "p", timeoutMs: 1_000, maxRetries: 3, clock }, () => {
      attempts += 1;
      return new Promise<never>(() => {});
    });
    clock.expire();
    const error = await request.catch((e: unknown) => e);
    expect(isOctoError(error, "llm_timeout")).toBe(true);
    expect(attempts).toBe(1);
  });

  it("stops at the caller's abort too, and a late rejection of the abandoned call is handled", async () => {
    const clock = fakeClock();
    const caller = new AbortController();
    let rejectLate: (error: Error) => void = () => {};
    let resolveLate: (value: string) => void = () => {};
    const request = runRequest(
      { provider: "p", timeoutMs: 60_000, maxRetries: 3, clock, signal: caller.signal },
      () => new Promise<string>((_, reject) => (rejectLate = reject)),
    );
    caller.abort(new Error("shutting down"));
    expect(isOctoError(await request.catch((e: unknown) => e), "llm_aborted")).toBe(true);
    // Vitest fails the run on an unhandled rejection: this one must be absorbed.
    rejectLate(new Error("socket hang up, long after"));

    const later = runRequest(
      { provider: "p", timeoutMs: 1_000, maxRetries: 0, clock },
      () => new Promise<string>((resolve) => (resolveLate = resolve)),
    );
    clock.expire();
    resolveLate("too late");
    expect(isOctoError(await later.catch((e: unknown) => e), "llm_timeout")).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
  });
});

describe("prompt layout for the local model", () => {
  it("tells Korean from English", () => {
    expect(looksKorean("한국의 수도는 어디인가요?")).toBe(true);
    expect(looksKorean("Explain 계약 in English please")).toBe(false);
    expect(looksKorean("1234 !!")).toBe(false);
  });

  it("merges system messages, primes a base model with the matching language last, ends on the model's turn", () => {
    const history = toChatHistory(
      [
        { role: "system", content: "A" },
        { role: "system", content: "B" },
        { role: "user", content: "안녕하세요, 오늘 날씨 어때요?" },
      ],
      { primed: true, json: false },
    );
    expect(history[0]).toEqual({ type: "system", text: "A\n\nB" });
    const lastExample = history.at(-3);
    expect(lastExample?.type).toBe("model");
    expect(JSON.stringify(lastExample)).toMatch(/[\uac00-\ud7a3]/);
    expect(history.at(-2)).toEqual({ type: "user", text: "안녕하세요, 오늘 날씨 어때요?" });
    expect(history.at(-1)).toEqual({ type: "model", response: [] });

    const plain = toChatHistory([{ role: "user", content: "Hi" }], { primed: false, json: false });
    expect(plain).toEqual([
      { type: "user", text: "Hi" },
      { type: "model", response: [] },
    ]);
  });
});
