/**
 * `npm run model:fetch`: puts the embedded model in OCTO_DATA_DIR/models/ (or checks OCTO_MODEL_PATH),
 * with a progress bar on stderr. Exit 0 with the path on stdout; exit 1 with the three ways otherwise.
 */
import { isConfigError, loadConfig } from "../src/config.js";
import { ensureLocalModel, ModelUnavailableError, modelHelp, stderrProgressBar } from "../src/llm/index.js";
import { errorMessage } from "../src/vocabulary/index.js";

try {
  const config = loadConfig();
  const bar = stderrProgressBar();
  const started = Date.now();
  try {
    const file = await ensureLocalModel(config, { onProgress: bar.onProgress });
    bar.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`model ready (${file.source}, ${seconds} s)\n`);
    process.stdout.write(`${file.path}\n`);
  } finally {
    bar.stop();
  }
} catch (error) {
  if (isConfigError(error)) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`model:fetch failed: ${errorMessage(error)}\n`);
  if (error instanceof ModelUnavailableError) {
    for (const attempt of error.attempts) process.stderr.write(`  tried ${attempt}\n`);
  }
  process.stderr.write(`${modelHelp().join("\n")}\n`);
  process.exit(1);
}
