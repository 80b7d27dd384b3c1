import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { openStore } from "../../src/store/index.js";
import { cutShortRun } from "../support/cut-run.js";
import { runOctostrator, startOctostrator } from "./run-octostrator.js";

const twoSteps = () => ({
  steps: [
    { id: 1, agent: "search", task: "find", description: "", depends_on: [], needs_approval: false },
    { id: 2, agent: "data", task: "analyse", description: "", depends_on: [1], needs_approval: false },
  ],
});

describe("npm start (console, embedded PGlite, scripted model)", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "octo-e2e-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers a request, asks for approval at the prompt and prints the answer", async () => {
    const run = await runOctostrator([], {
      dataDir,
      input: "search for cats and draft an NDA contract\napprove\n/history\n/quit\n",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Octostrator console");
    expect(run.stdout).toContain("Approval needed");
    expect(run.stdout).toContain("Decide step 2 (contract) >");
    expect(run.stdout).toContain("Mutual Non-Disclosure Agreement");
    expect(run.stdout).toMatch(/2\/2 completed/);
    expect(run.stdout).toContain("1 turn(s)");
    expect(run.stdout).toContain("Bye.");
    // From a pipe: no waiting indicator, no colours, no cursor movement.
    expect(run.stdout).not.toContain("\u001b[");
    expect(run.stdout).not.toContain("\r");
  });

  it("keeps the conversation and its pending approval across a restart", async () => {
    const first = await runOctostrator([], { dataDir, input: "draft an NDA contract for ACME\n" });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Step 1 is still waiting for approval");

    const second = await runOctostrator([], { dataDir, input: "approve\n/history\n/sessions\n/quit\n" });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Continuing conversation console:");
    expect(second.stdout).toContain("Decide step 1 (contract) >");
    expect(second.stdout).toContain("Mutual Non-Disclosure Agreement");
    expect(second.stdout).toMatch(/console:\S+: 1 turn\(s\)/);
    expect(second.stdout).toMatch(/\* console:\S+ {2}completed {2}turns=1/);
  });

  it("finishes a request a crash cut short when it starts again", async () => {
    const store = await openStore({ dataDir });
    await cutShortRun(
      store,
      `console:${os.userInfo().username}`,
      new ScriptedLlm({ handlers: { plan: twoSteps } }),
      {
        requester: os.userInfo().username,
      },
    );
    await store.close();
    const run = await runOctostrator([], { dataDir, input: "/history\n/quit\n" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Finishing a request that a restart interrupted");
    expect(run.stdout).toContain('The data agent handled "analyse"');
    expect(run.stdout).toMatch(/1 turn\(s\)/);
  });

  it("one-shot ask prints the report and writes its files", async () => {
    const run = await runOctostrator(["ask", "분기별 매출 데이터를 분석해 주세요", "--format", "report"], {
      dataDir,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("분석 보고서");
    const folders = await readdir(path.join(dataDir, "out"));
    const files = await readdir(path.join(dataDir, "out", folders[0] as string));
    expect(files.some((f) => f.endsWith("report.pdf"))).toBe(true);
    expect(files.some((f) => f.endsWith("report.md"))).toBe(true);
    expect(run.stderr).toContain("작업을 계획하는 중");
  });

  it("one-shot ask reports a pending approval with exit code 3, and --approve decides it", async () => {
    const pending = await runOctostrator(["ask", "draft an NDA contract"], { dataDir });
    expect(pending.code).toBe(3);
    expect(pending.stderr).toContain("needs approval");
    const approved = await runOctostrator(["ask", "draft an NDA contract", "--approve"], { dataDir });
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain("Mutual Non-Disclosure Agreement");
  });

  it("refuses bad input politely and exits non-zero", async () => {
    const format = await runOctostrator(["ask", "search cats", "--format", "poster"], { dataDir });
    expect(format.code).toBe(2);
    expect(format.stdout).toBe("");
    expect(format.stderr).toContain('unknown format "poster"');
    const empty = await runOctostrator(["ask", "   "], { dataDir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("Usage: npm start -- ask");
  });

  it("stops on a bad configuration value with one line naming it and exit code 2", async () => {
    const run = await runOctostrator(["ask", "hi"], {
      dataDir,
      env: { OCTO_LLM: "magic", OCTO_MAX_STEPS: "lots" },
    });
    expect(run.code).toBe(2);
    const lines = run.stderr.split("\n").filter((line) => line.startsWith("octostrator:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("OCTO_LLM: must be one of openai, local, scripted");
    expect(lines[0]).toContain("OCTO_MAX_STEPS: OCTO_MAX_STEPS must be a whole number");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a second process on the same data directory", async () => {
    const first = startOctostrator([], { dataDir, keepOpen: true });
    try {
      await first.waitFor("Octostrator console");
      const second = await runOctostrator(["ask", "search cats"], { dataDir });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain("another Octostrator process");
      expect(existsSync(path.join(dataDir, "octo.pid"))).toBe(true);
    } finally {
      first.child.stdin?.end("/quit\n");
      expect(await first.exited).toBe(0);
    }
    expect(existsSync(path.join(dataDir, "octo.pid"))).toBe(false);
  });
});
