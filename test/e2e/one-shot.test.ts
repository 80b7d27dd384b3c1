import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runOctostrator } from "./run-octostrator.js";

/** `npm start -- ask …` as a script uses it: stdout is the answer, the exit code says what happened. */

const packageVersion = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

interface JsonDocument {
  aggregated_data: {
    final_answer: string;
    execution_summary: { total_steps: number; completed_steps: number; hitl_interactions: number };
    steps: { agent: string; status: string }[];
  };
  final_result: { json?: { summary: string } };
}

describe("npm start -- ask (one-shot, scripted model)", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "octo-ask-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("--format json prints exactly the JSON document on stdout; progress and file paths go to stderr", async () => {
    const run = await runOctostrator(["ask", "analyse the sales data", "--format", "json"], { dataDir });
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as JsonDocument;
    expect(Object.keys(document).sort()).toEqual(["aggregated_data", "final_result"]);
    expect(document.aggregated_data.steps.map((step) => step.agent)).toEqual(["data"]);
    expect(document.aggregated_data.final_answer).toContain(
      'The data agent handled "data: analyse the sales data"',
    );
    expect(document.final_result.json?.summary).toBeTypeOf("string");
    expect(run.stderr).toContain("Planning the work");
    expect(run.stderr).toMatch(/Saved \S+result\.json/);
  });

  it("graph and report formats print the summary and the files, not the request again", async () => {
    const run = await runOctostrator(["ask", "zebra migration search", "--format", "graph"], { dataDir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1\/1 completed/);
    expect(run.stdout).toContain("Plan graph:");
    expect(run.stdout).toMatch(/Saved \S+graph\.png/);
    expect(run.stdout).not.toContain("zebra migration search");
  });

  it("a thread waiting for approval: exit 3 with how to decide, then the same command with --approve finishes it, exit 0", async () => {
    const pending = await runOctostrator(
      ["ask", "draft an NDA contract", "--thread", "nda", "--format", "json"],
      {
        dataDir,
      },
    );
    expect(pending.code).toBe(3);
    expect(pending.stdout).toBe("");
    expect(pending.stderr).toContain("Step 1 (contract) needs approval");
    expect(pending.stderr).toContain("--thread nda --approve");

    const approved = await runOctostrator(
      ["ask", "draft an NDA contract", "--thread", "nda", "--format", "json", "--approve"],
      { dataDir },
    );
    expect(approved.code).toBe(0);
    const document = JSON.parse(approved.stdout) as JsonDocument;
    expect(document.aggregated_data.execution_summary).toMatchObject({
      total_steps: 1,
      completed_steps: 1,
      hitl_interactions: 1,
    });
    expect(approved.stderr).not.toContain("waiting for a decision");
  });

  it("--help lists commands, options and exit codes; --version prints the package version", async () => {
    const help = await runOctostrator(["--help"], { dataDir });
    expect(help.code).toBe(0);
    for (const text of ["npm start -- ask", "--format", "--thread", "--approve", "--reject", "--version"])
      expect(help.stdout).toContain(text);
    expect(help.stdout).toMatch(
      /Exit codes:[\s\S]*0 {2}answered[\s\S]*1 {2}[\s\S]*2 {2}usage[\s\S]*3 {2}a step/,
    );

    const version = await runOctostrator(["--version"], { dataDir });
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${packageVersion}\n`);
  });

  it("usage errors exit 2 with the reason on stderr, before opening anything", async () => {
    for (const args of [
      ["ask", "search cats", "--format", "xyz"],
      ["ask", "search cats", "--colour"],
      ["--format", "json"],
      ["serve"],
    ]) {
      const run = await runOctostrator(args, { dataDir });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^octostrator: /);
    }
  });

  it("a request the service refuses exits 1 with the reason on stderr", async () => {
    const run = await runOctostrator(["ask", `search ${"x".repeat(200)}`], {
      dataDir,
      env: { OCTO_MAX_INPUT_CHARS: "100" },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Your message has 207 characters; I can take at most 100");
  });

  it("--file attaches a CSV the data agent loads and profiles", async () => {
    const csv = path.join(dataDir, "sales.csv");
    await writeFile(csv, "region,amount\nnorth,10\nsouth,20\neast,5\n");
    const run = await runOctostrator(["ask", "analyse the sales data", "--file", csv, "--format", "json"], {
      dataDir,
    });
    expect(run.code).toBe(0);
    const answer = (JSON.parse(run.stdout) as JsonDocument).aggregated_data.final_answer;
    expect(answer).toContain("sales.csv");
    expect(answer).toContain("3 row(s), 2 column(s)");
    expect(answer).toMatch(/\| south \| 20 \|/);
    expect(run.stderr).toMatch(/Saved \S+sales-result\.csv/);
  });

  it("--file naming a file that is not there exits 2 before any run", async () => {
    const missing = await runOctostrator(["ask", "analyse it", "--file", path.join(dataDir, "nope.csv")], {
      dataDir,
    });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("I can't find \"");
  });

  it("--file takes a Parquet table: its bytes reach the data agent, which loads and queries it", async () => {
    const file = path.join(dataDir, "metrics.parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT i AS k, i * 10 AS v FROM range(1, 5) t(i)) TO '${file}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    const run = await runOctostrator(["ask", "analyse the data", "--file", file, "--format", "json"], {
      dataDir,
    });
    expect(run.code).toBe(0);
    const answer = (JSON.parse(run.stdout) as JsonDocument).aggregated_data.final_answer;
    expect(answer).toContain("metrics.parquet");
    expect(answer).toContain("4 row(s), 2 column(s)");
  });
});
