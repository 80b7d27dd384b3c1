import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureLocalModel, ModelUnavailableError } from "../../src/llm/model/fetch.js";
import { stderrProgressBar } from "../../src/llm/model/progress.js";
import { errorMessage } from "../../src/vocabulary/index.js";

/**
 * Obtains the embedded model once per test run, through the same path as `npm run model:fetch`, into
 * ./.octo/models (kept between runs; the first run on a fresh clone downloads it). It never throws:
 * a failure reaches the local model's smoke test, which then fails with the reason, while every other
 * test runs as usual.
 */
export type LocalModelResult = { path: string; source: string } | { error: string };

declare module "vitest" {
  export interface ProvidedContext {
    localModel: LocalModelResult;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const bar = stderrProgressBar();
  try {
    const file = await ensureLocalModel(
      { dataDir: path.resolve(".octo"), OCTO_MODEL_PATH: process.env.OCTO_MODEL_PATH || undefined },
      { onProgress: bar.onProgress },
    );
    project.provide("localModel", { path: file.path, source: file.source });
  } catch (error) {
    const attempts = error instanceof ModelUnavailableError ? ` [${error.attempts.join(" | ")}]` : "";
    project.provide("localModel", { error: `${errorMessage(error)}${attempts}` });
  } finally {
    bar.stop();
  }
}
