import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConfigError, loadConfig } from "../../src/config.js";
import { CachedLlm } from "../../src/llm/cache.js";
import { chooseProvider, createLlm } from "../../src/llm/factory.js";
import { DEFAULT_OPENAI_MODEL, OpenAiLlm } from "../../src/llm/openai.js";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import type { LlmClient } from "../../src/llm/types.js";
import { silentLogger } from "../../src/log.js";
import { isOctoError } from "../../src/vocabulary/index.js";
import { openTestStore, type TestStore } from "../support/databases.js";

describe("provider selection", () => {
  let store: TestStore;
  let dir: string;
  beforeAll(async () => {
    store = await openTestStore("pglite");
    dir = await mkdtemp(path.join(os.tmpdir(), "octo-provider-"));
  });
  afterAll(async () => {
    await store.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const create = (env: Record<string, string>) =>
    createLlm(loadConfig({ OCTO_DATA_DIR: dir, ...env }), { db: store.db, logger: silentLogger() });
  const unwrap = (llm: LlmClient) =>
    llm instanceof CachedLlm ? (llm as unknown as { inner: LlmClient }).inner : llm;

  it("picks from the environment", () => {
    expect(chooseProvider({})).toBe("local");
    expect(chooseProvider({ OPENAI_API_KEY: "sk-x" })).toBe("openai");
    expect(chooseProvider({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" })).toBe("openai");
    expect(chooseProvider({ OCTO_LLM: "local", OPENAI_API_KEY: "sk-x" })).toBe("local");
    expect(chooseProvider({ OCTO_LLM: "openai" })).toBe("openai");
    expect(chooseProvider({ OCTO_LLM: "scripted", OPENAI_API_KEY: "sk-x" })).toBe("scripted");
  });

  it("uses OpenAI with a key: default model, overridable, cached", async () => {
    const llm = await create({ OPENAI_API_KEY: "sk-test-0000000000000000" });
    expect(llm).toBeInstanceOf(CachedLlm);
    expect(unwrap(llm)).toBeInstanceOf(OpenAiLlm);
    expect(llm).toMatchObject({ provider: "openai", model: DEFAULT_OPENAI_MODEL });
    const other = await create({ OPENAI_API_KEY: "sk-test-0000000000000000", OCTO_MODEL: "gpt-4o-mini" });
    expect(other.model).toBe("gpt-4o-mini");
  });

  it("uses an OpenAI-compatible server with OPENAI_BASE_URL and no key", async () => {
    const llm = await create({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OCTO_MODEL: "llama3.2" });
    expect(llm).toMatchObject({ provider: "openai-compatible", model: "llama3.2" });
  });

  it("uses the scripted model when forced, never cached", async () => {
    const llm = await create({ OCTO_LLM: "scripted", OPENAI_API_KEY: "sk-test-0000000000000000" });
    expect(llm).toBeInstanceOf(ScriptedLlm);
  });

  it("keeps no call log on a serving bot's scripted model, while a test's own keeps every call", async () => {
    const serving = (await create({ OCTO_LLM: "scripted" })) as ScriptedLlm;
    const own = new ScriptedLlm();
    for (const llm of [serving, own])
      for (let i = 0; i < 3; i++)
        await llm.chat([{ role: "user", content: `call ${i}` }], { purpose: "agent:search" });
    expect(serving.calls).toHaveLength(0);
    expect(own.calls.map((call) => call.messages[0]?.content)).toEqual(["call 0", "call 1", "call 2"]);
  });

  it("refuses OCTO_LLM=openai without a key or URL, in one line saying what to set", async () => {
    const error = await create({ OCTO_LLM: "openai" }).catch((e: unknown) => e);
    expect(isOctoError(error, "llm_unavailable")).toBe(true);
    expect((error as Error).message).toBe(
      "OCTO_LLM=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server)",
    );
  });

  it("stops the local provider with one line when OCTO_MODEL_PATH is not a model", async () => {
    const notModel = path.join(dir, "not-a-model.gguf");
    await writeFile(notModel, "plain text");
    for (const env of [{ OCTO_LLM: "local" }, {}] as Record<string, string>[]) {
      const error = await create({ ...env, OCTO_MODEL_PATH: notModel }).catch((e: unknown) => e);
      expect(isOctoError(error, "llm_unavailable")).toBe(true);
      expect((error as Error).message).toMatch(
        /^OCTO_MODEL_PATH: .*not a GGUF file; point it to a GGUF model file$/,
      );
    }
  });

  it("stops the local provider with one line when llama.cpp cannot load the file", async () => {
    const broken = path.join(dir, "broken.gguf");
    await writeFile(broken, Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(60)]));
    const error = await create({ OCTO_LLM: "local", OCTO_MODEL_PATH: broken }).catch((e: unknown) => e);
    expect(isOctoError(error, "llm_unavailable")).toBe(true);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    expect(message).toMatch(
      /could not be loaded .*set OCTO_MODEL_PATH to another GGUF file or OPENAI_BASE_URL/,
    );
  });

  it("rejects an unknown OCTO_LLM and a malformed OPENAI_BASE_URL at configuration time", () => {
    for (const env of [{ OCTO_LLM: "claude" }, { OPENAI_BASE_URL: "not a url" }]) {
      const error = (() => {
        try {
          loadConfig(env);
          return undefined;
        } catch (caught) {
          return caught;
        }
      })();
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message.split("\n")).toHaveLength(1);
      expect((error as Error).message).toMatch(
        /^(OCTO_LLM: must be one of openai, local, scripted|OPENAI_BASE_URL: must be a URL)/,
      );
    }
  });
});
