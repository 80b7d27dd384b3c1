export { CachedLlm, cacheKey, LlmCacheStore } from "./cache.js";
export { chooseProvider, createLlm, type LlmDeps, type ProviderChoice } from "./factory.js";
export { LocalLlm } from "./local/llm.js";
export { LocalRuntime, type LocalRuntimeOptions } from "./local/runtime.js";
export { MeteredLlm } from "./metered.js";
export {
  defaultModelPath,
  type EnsureModelOptions,
  ensureLocalModel,
  type LocalModelFile,
  type ModelConfig,
  ModelUnavailableError,
  modelHelp,
} from "./model/fetch.js";
export { GEMMA3_270M, type ModelManifest, type ModelPart } from "./model/manifest.js";
export { type ModelProgress, type OnModelProgress, stderrProgressBar } from "./model/progress.js";
export { DEFAULT_OPENAI_MODEL, OpenAiLlm, type OpenAiOptions } from "./openai.js";
export { ScriptedLlm } from "./scripted.js";
export type {
  LlmCallOptions,
  LlmClient,
  LlmMessage,
  LlmReadiness,
  LlmUsage,
  StructuredCallOptions,
} from "./types.js";
