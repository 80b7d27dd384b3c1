import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFixtures } from "./fixtures.js";

const root = path.resolve(import.meta.dirname, "../../..");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run kb:ingest -- <args>` as the script itself, in a child process on its own data directory. */
function ingest(dataDir: string, ...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(OCTO_|POSTGRES_URL)/.test(key)) env[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/kb-ingest.ts", ...args], {
      cwd: root,
      env: { ...env, OCTO_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (part: Buffer) => {
      stdout += part.toString();
    });
    child.stderr.on("data", (part: Buffer) => {
      stderr += part.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("npm run kb:ingest", () => {
  let dir: string;
  let dataDir: string;
  let files: Awaited<ReturnType<typeof writeFixtures>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "octo-kb-cli-"));
    dataDir = path.join(dir, "data");
    files = await writeFixtures(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("ingests files, says which it could not and why, and exits 1 for those", async () => {
    const run = await ingest(dataDir, files.markdown, files.pdf, files.blankPdf, files.unsupported);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ingested \S*expenses\.md \(markdown\): 3 chunks/);
    expect(run.stdout).toMatch(/ingested \S*travel\.pdf \(pdf\): 2 chunks/);
    expect(run.stdout).toContain("2 ingested, 2 not; 5 chunks in all");
    expect(run.stderr).toContain("the PDF has no text layer");
    expect(run.stderr).toContain("notes.docx: not a supported file type");
  });

  it("replaces a file ingested again, lists and removes documents", async () => {
    const again = await ingest(dataDir, files.markdown);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("3 chunks, replacing 3");
    expect(again.stdout).toContain("5 chunks in all");
    const listed = await ingest(dataDir, "--list");
    const sources = listed.stdout
      .trim()
      .split("\n")
      .map((line) => line.split("\t")[0] ?? "");
    expect(sources.map((source) => path.basename(source))).toEqual(["expenses.md", "travel.pdf"]);
    const removed = await ingest(dataDir, "--remove", sources[0] ?? "", "not-there.md");
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain("(3 chunks)");
    expect(removed.stdout).toContain("not found: not-there.md");
  });

  it("explains its usage when given nothing or an unknown option", async () => {
    const bare = await ingest(dataDir);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain("usage: npm run kb:ingest");
    const wrong = await ingest(dataDir, "--everything");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("unknown option --everything");
  });
});
