import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../src/config.js";
import { createLlm } from "../../src/llm/factory.js";
import type { LlmClient, LlmUsage } from "../../src/llm/types.js";
import { silentLogger } from "../../src/log.js";
import { isOctoError } from "../../src/vocabulary/index.js";
import { openTestStore, type TestStore } from "../support/databases.js";

/**
 * The embedded model for real: the GGUF obtained by the global setup, loaded through createLlm as
 * `npm start` does. If the model could not be obtained, every test here fails with the reason.
 */
const HANGUL = /[\uac00-\ud7a3]/;

const PlanSchema = z.object({
  steps: z
    .array(
      z.object({
        id: z.number().int(),
        agent: z.string(),
        task: z.string(),
        description: z.string(),
        depends_on: z.array(z.number().int()),
        needs_approval: z.boolean(),
      }),
    )
    .min(1)
    .max(6),
});

const PLANNER = [
  "You are the planner of a multi-agent assistant. Split the user's request into steps, each done by one agent.",
  "Available agents:\n- search: information search\n- web: web crawling\n- contract: contract drafting\n- code: code generation\n- data: data analysis",
  "Use as few steps as the request needs. Write every task in the user's language.",
].join("\n");

describe("local model (Gemma 3 270M GGUF) smoke test", { timeout: 240_000 }, () => {
  let store: TestStore | undefined;
  let loaded: LlmClient | undefined;
  let unavailable: string | undefined;

  beforeAll(async () => {
    const model = inject("localModel");
    if ("error" in model) {
      unavailable = `the local model could not be obtained: ${model.error}`;
      return;
    }
    store = await openTestStore("pglite");
    const config = loadConfig({ OCTO_LLM: "local", OCTO_MODEL_PATH: model.path, OCTO_LLM_CACHE_TTL: "0" });
    loaded = await createLlm(config, { db: store.db, logger: silentLogger() });
  }, 240_000);

  afterAll(async () => {
    await loaded?.close?.();
    await store?.destroy();
  });

  /** Each test fails on its own with the reason, so the report counts them as failed, not skipped. */
  function model(): LlmClient {
    if (!loaded) throw new Error(unavailable ?? "the local model was not loaded");
    return loaded;
  }

  it("answers a Korean question in Hangul", async () => {
    const usage: LlmUsage[] = [];
    const answer = await model().chat(
      [
        { role: "system", content: "You are a helpful assistant. Answer briefly in the user's language." },
        { role: "user", content: "한국의 수도는 어디인가요?" },
      ],
      { purpose: "smoke:ko", maxTokens: 60, onUsage: (u) => usage.push(u) },
    );
    expect(answer.trim().length).toBeGreaterThan(0);
    expect(answer).toMatch(HANGUL);
    expect(usage[0]).toMatchObject({ provider: "local", purpose: "smoke:ko", cached: false });
    expect(usage[0]?.outputTokens).toBeGreaterThan(0);
    expect(usage[0]?.inputTokens).toBeGreaterThan(0);
  });

  it("answers an English question in English", async () => {
    const tokens: string[] = [];
    const answer = await model().chat(
      [
        { role: "system", content: "You are a helpful assistant. Answer briefly in the user's language." },
        { role: "user", content: "What is the capital of France?" },
      ],
      { purpose: "smoke:en", maxTokens: 60, onToken: (t) => tokens.push(t) },
    );
    expect(answer).not.toMatch(HANGUL);
    const letters = answer.replace(/[^\p{L}]/gu, "");
    expect(letters.length).toBeGreaterThan(3);
    expect(letters.replace(/[^A-Za-z]/g, "").length / letters.length).toBeGreaterThan(0.9);
    expect(tokens.join("").trim()).toBe(answer);
  });

  it("returns a schema-valid plan for a planning call", async () => {
    const plan = await model().structured(
      [
        { role: "system", content: PLANNER },
        { role: "user", content: "Request: Find recent news about solar panels, then chart the prices." },
      ],
      PlanSchema,
      { purpose: "plan", schemaName: "plan" },
    );
    expect(PlanSchema.safeParse(plan).success).toBe(true);
    expect(plan.steps.length).toBeGreaterThanOrEqual(1);
  });

  it("serves concurrent calls", async () => {
    const ask = (content: string) =>
      model().chat([{ role: "user", content }], { purpose: "smoke:concurrent", maxTokens: 24 });
    const answers = await Promise.all([ask("Name a fruit."), ask("Name a colour."), ask("Name an animal.")]);
    for (const answer of answers) expect(answer.trim().length).toBeGreaterThan(0);
  });

  it("stops generating when the caller aborts", async () => {
    const controller = new AbortController();
    let before = 0;
    let after = 0;
    const error = await model()
      .chat([{ role: "user", content: "Write a very long story about the sea." }], {
        purpose: "smoke:abort",
        maxTokens: 2_000,
        signal: controller.signal,
        onToken: () => {
          if (controller.signal.aborted) after += 1;
          else if (++before === 3) controller.abort(new Error("run abandoned"));
        },
      })
      .catch((e: unknown) => e);
    expect(isOctoError(error, "llm_aborted")).toBe(true);
    // Aborted at the third chunk: at most a few chunks already on their way arrive after it.
    expect(before).toBe(3);
    expect(after).toBeLessThan(8);
  });
});
