import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { MetricsRecorder } from "../metrics/index.js";
import type { Database } from "../store/database.js";
import { errorMessage, isOctoError, OctoError } from "../vocabulary/index.js";
import { CachedLlm, LlmCacheStore } from "./cache.js";
import { LocalLlm } from "./local/llm.js";
import { LocalRuntime } from "./local/runtime.js";
import { MeteredLlm } from "./metered.js";
import { ensureLocalModel } from "./model/fetch.js";
import { type OnModelProgress, stderrProgressBar } from "./model/progress.js";
import { DEFAULT_OPENAI_MODEL, OpenAiLlm } from "./openai.js";
import { ScriptedLlm } from "./scripted.js";
import type { LlmClient } from "./types.js";

export interface LlmDeps {
  db: Database;
  logger: Logger;
  /** Progress of a first-run model download; a progress bar on stderr when absent. */
  onModelProgress?: OnModelProgress | undefined;
  /** Counts the graph's model requests (see MeteredLlm); uncounted when absent. */
  metrics?: MetricsRecorder | undefined;
}

export type ProviderChoice = "openai" | "local" | "scripted";

/** Which provider the configuration asks for (README "Language models"). */
export function chooseProvider(
  config: Pick<Config, "OCTO_LLM" | "OPENAI_API_KEY" | "OPENAI_BASE_URL">,
): ProviderChoice {
  if (config.OCTO_LLM) return config.OCTO_LLM;
  return config.OPENAI_API_KEY || config.OPENAI_BASE_URL ? "openai" : "local";
}

/**
 * Builds the model client the graph uses: the provider, wrapped in the response cache unless
 * OCTO_LLM_CACHE_TTL is 0 (the scripted test model is never cached). A provider that cannot start
 * throws an OctoError whose message is one line saying what to set.
 */
export async function createLlm(config: Config, deps: LlmDeps): Promise<LlmClient> {
  const inner = await createProvider(config, deps);
  const cached =
    inner instanceof ScriptedLlm || config.OCTO_LLM_CACHE_TTL === 0
      ? inner
      : new CachedLlm(inner, new LlmCacheStore(deps.db, config.OCTO_LLM_CACHE_TTL), deps.logger);
  return deps.metrics ? new MeteredLlm(cached, deps.metrics) : cached;
}

/** The configured provider itself, uncached (what `npm run eval` measures). */
export async function createProvider(config: Config, deps: Omit<LlmDeps, "db">): Promise<LlmClient> {
  const choice = chooseProvider(config);
  if (choice === "scripted") {
    // A serving bot: nobody reads the scripted model's call log, which would grow with every call.
    const options = { recordCalls: false };
    return config.OCTO_LLM_SCRIPT
      ? ScriptedLlm.fromFile(config.OCTO_LLM_SCRIPT, options)
      : new ScriptedLlm(options);
  }
  const inner = choice === "openai" ? openAi(config, deps) : await local(config, deps);
  deps.logger.info({ provider: inner.provider, model: inner.model }, "language model ready");
  return inner;
}

function openAi(config: Config, deps: Pick<LlmDeps, "logger">): LlmClient {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    throw new OctoError(
      "llm_unavailable",
      "OCTO_LLM=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server)",
    );
  }
  return new OpenAiLlm({
    model: config.OCTO_MODEL ?? DEFAULT_OPENAI_MODEL,
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    timeoutMs: config.OCTO_LLM_TIMEOUT_MS,
    maxRetries: config.OCTO_LLM_MAX_RETRIES,
    logger: deps.logger,
  });
}

async function local(config: Config, deps: Omit<LlmDeps, "db">): Promise<LlmClient> {
  // A first start downloads a quarter of a gigabyte: show it happening unless the caller reports it.
  const bar = deps.onModelProgress ? undefined : stderrProgressBar();
  const file = await ensureLocalModel(config, { onProgress: deps.onModelProgress ?? bar?.onProgress })
    .catch((error) => {
      throw isOctoError(error)
        ? error
        : new OctoError("llm_unavailable", `local model: ${errorMessage(error)}`, { cause: error });
    })
    .finally(() => bar?.stop());
  deps.logger.info({ path: file.path, source: file.source }, "local model file");
  try {
    const runtime = await LocalRuntime.load({
      modelPath: file.path,
      contextSize: config.OCTO_LOCAL_CONTEXT,
      parallel: config.OCTO_LOCAL_PARALLEL,
      threads: config.OCTO_LOCAL_THREADS,
      gpu: config.OCTO_LOCAL_GPU,
      logger: deps.logger,
    });
    return new LocalLlm(runtime, { timeoutMs: config.OCTO_LLM_TIMEOUT_MS });
  } catch (error) {
    throw new OctoError(
      "llm_unavailable",
      `local model ${file.path} could not be loaded (${errorMessage(error).split("\n")[0]}); set OCTO_MODEL_PATH to another GGUF file or OPENAI_BASE_URL to a server`,
      { cause: error },
    );
  }
}
