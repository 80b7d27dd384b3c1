import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../src/config.js";
import { CachedLlm, LlmCacheStore } from "../../src/llm/cache.js";
import { createLlm } from "../../src/llm/factory.js";
import { OpenAiLlm } from "../../src/llm/openai.js";
import type { LlmUsage } from "../../src/llm/types.js";
import { silentLogger } from "../../src/log.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";
import { type FakeOpenAi, startFakeOpenAi } from "./support/fake-openai.js";

const messages = [
  { role: "system" as const, content: "Be brief." },
  { role: "user" as const, content: "Name a primary colour." },
];
const Colour = z.object({ colour: z.string() });

describe.each(DATABASE_KINDS)("LLM response cache on %s", (kind) => {
  let server: FakeOpenAi;
  let store: TestStore;
  beforeAll(async () => {
    server = await startFakeOpenAi();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    store = await openTestStore(kind);
    server.requests.length = 0;
  });
  afterEach(async () => {
    await store.destroy();
  });

  function cached(ttlSeconds = 3600) {
    const inner = new OpenAiLlm({ model: "m", baseURL: server.baseURL, timeoutMs: 5_000, maxRetries: 0 });
    return new CachedLlm(inner, new LlmCacheStore(store.db, ttlSeconds), silentLogger());
  }

  it("answers a repeated call from the database without a request, and counts the hit", async () => {
    server.reply({ content: "Red." });
    const llm = cached();
    const usage: LlmUsage[] = [];
    const onUsage = (u: LlmUsage) => usage.push(u);
    expect(await llm.chat(messages, { purpose: "chat", onUsage })).toBe("Red.");
    expect(await llm.chat(messages, { purpose: "chat", onUsage })).toBe("Red.");
    expect(server.requests).toHaveLength(1);
    expect(usage.map((u) => u.cached)).toEqual([false, true]);
    expect(usage[1]).toMatchObject({
      provider: "openai-compatible",
      model: "m",
      inputTokens: 0,
      outputTokens: 0,
    });

    const { rows } = await store.db.query<{ hits: number; purpose: string }>(
      "SELECT hits, purpose FROM octo_llm_cache",
    );
    expect(rows).toEqual([{ hits: 1, purpose: "chat" }]);
  });

  it("keys on messages, schema and options", async () => {
    server.reply({ content: '{"colour":"blue"}' });
    const llm = cached();
    await llm.structured(messages, Colour, { purpose: "p", schemaName: "colour" });
    await llm.structured(messages, Colour, { purpose: "p", schemaName: "colour" });
    expect(server.requests).toHaveLength(1);
    await llm.structured(messages, Colour.extend({ shade: z.string().optional() }), {
      purpose: "p",
      schemaName: "colour",
    });
    await llm.structured(messages, Colour, { purpose: "p", schemaName: "colour", temperature: 0.7 });
    await llm.structured([...messages, { role: "user", content: "Another." }], Colour, {
      purpose: "p",
      schemaName: "colour",
    });
    expect(server.requests).toHaveLength(4);
    expect(await new LlmCacheStore(store.db, 60).stats()).toEqual({ entries: 4, hits: 1 });
  });

  it("ignores expired entries, asks again, and prunes them", async () => {
    server.reply({ content: "Red." });
    const llm = cached(60);
    await llm.chat(messages, { purpose: "chat" });
    await store.db.query("UPDATE octo_llm_cache SET expires_at = now() - interval '1 second'");
    const usage: LlmUsage[] = [];
    await llm.chat(messages, { purpose: "chat", onUsage: (u) => usage.push(u) });
    expect(server.requests).toHaveLength(2);
    expect(usage[0]?.cached).toBe(false);

    await store.db.query("UPDATE octo_llm_cache SET expires_at = now() - interval '1 second'");
    expect(await new LlmCacheStore(store.db, 60).prune()).toBe(1);
    const { rows } = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM octo_llm_cache");
    expect(rows[0]?.n).toBe(0);
  });

  it("expires by OCTO_LLM_CACHE_TTL in real time", async () => {
    server.reply({ content: "Red." });
    const llm = cached(1);
    await llm.chat(messages, { purpose: "chat" });
    await llm.chat(messages, { purpose: "chat" });
    expect(server.requests).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await llm.chat(messages, { purpose: "chat" });
    expect(server.requests).toHaveLength(2);
  });

  it("is off when OCTO_LLM_CACHE_TTL is 0", async () => {
    server.reply({ content: "Red." });
    const config = loadConfig({ OPENAI_BASE_URL: server.baseURL, OCTO_LLM_CACHE_TTL: "0" });
    const llm = await createLlm(config, { db: store.db, logger: silentLogger() });
    expect(llm).not.toBeInstanceOf(CachedLlm);
    await llm.chat(messages, { purpose: "chat" });
    await llm.chat(messages, { purpose: "chat" });
    expect(server.requests).toHaveLength(2);
    const { rows } = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM octo_llm_cache");
    expect(rows[0]?.n).toBe(0);
  });

  it("is on by default through createLlm", async () => {
    server.reply({ content: "Red." });
    const config = loadConfig({ OPENAI_BASE_URL: server.baseURL });
    const llm = await createLlm(config, { db: store.db, logger: silentLogger() });
    expect(llm).toBeInstanceOf(CachedLlm);
    await llm.chat(messages, { purpose: "chat" });
    await llm.chat(messages, { purpose: "chat" });
    expect(server.requests).toHaveLength(1);
  });

  it("still answers when the cache table is unusable", async () => {
    server.reply({ content: "Red." });
    const llm = cached();
    // Broken in place rather than dropped: a dropped table would be found in `public` if one is there.
    await store.db.query("ALTER TABLE octo_llm_cache RENAME COLUMN response TO unusable");
    expect(await llm.chat(messages, { purpose: "chat" })).toBe("Red.");
    expect(await llm.chat(messages, { purpose: "chat" })).toBe("Red.");
    expect(server.requests).toHaveLength(2);
  });
});
