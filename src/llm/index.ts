import type { Config } from "../config.js";
import { OctoError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Database } from "../store/database.js";
import { ScriptedLlm } from "./scripted.js";
import type { LlmClient } from "./types.js";

export { ScriptedLlm } from "./scripted.js";
export type { LlmCallOptions, LlmClient, LlmMessage, LlmUsage, StructuredCallOptions } from "./types.js";

export interface LlmDeps {
  db: Database;
  logger: Logger;
}

/** Chooses the model provider from the configuration (see README "Language models"). */
export async function createLlm(config: Config, _deps: LlmDeps): Promise<LlmClient> {
  if (config.OCTO_LLM === "scripted") {
    return config.OCTO_LLM_SCRIPT ? ScriptedLlm.fromFile(config.OCTO_LLM_SCRIPT) : new ScriptedLlm();
  }
  throw new OctoError("llm_unavailable", "no model provider is configured: set OCTO_LLM=scripted for now");
}
