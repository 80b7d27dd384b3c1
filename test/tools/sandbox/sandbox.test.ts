import { afterAll, describe, expect, it } from "vitest";
import { QuickJsSandbox } from "../../../src/tools/sandbox/index.js";

/** The sandbox against what code asked to do harm would try: every escape ends inside it. */

const sandbox = new QuickJsSandbox({ timeoutMs: 400, memoryBytes: 32 * 1024 * 1024, outputBytes: 2_000 });
/** Bombs get time enough to reach the memory cap: what stops them must be the cap, not the clock. */
const roomy = new QuickJsSandbox({ timeoutMs: 20_000, memoryBytes: 16 * 1024 * 1024, outputBytes: 2_000 });
afterAll(async () => {
  await sandbox.close();
  await roomy.close();
});

describe("the JavaScript sandbox", () => {
  it("returns what the code printed and its value", async () => {
    const run = await sandbox.run(
      "console.log('합계', [1, 2, 3].reduce((a, b) => a + b), { ok: true }); console.error(new Set([1])); 6 * 7",
    );
    expect(run).toMatchObject({ ok: true, value: "42", output: '합계 6 {"ok":true}\nSet(1) [1]' });
    expect(run.error).toBeUndefined();
  });

  it("settles promises and async functions, and gives the code its input", async () => {
    expect(
      await sandbox.run("(async () => { await null; return input.values.map((v) => v * 2) })()", {
        input: { values: [1, 2] },
      }),
    ).toMatchObject({ ok: true, value: "[2,4]" });
    expect(await sandbox.run("new Promise(() => {})")).toMatchObject({
      ok: false,
      error: { kind: "exception", message: expect.stringContaining("never settled") },
    });
  });

  it("has no require, process, fetch, timers, WebAssembly, modules or host hooks", async () => {
    const probe = await sandbox.run(
      "['require','process','fetch','XMLHttpRequest','setTimeout','WebAssembly','std','os','Deno','Bun','__octo_print','__octo_input'].map((n) => n + ':' + typeof globalThis[n]).join(' ')",
    );
    expect(probe.ok).toBe(true);
    for (const entry of probe.value!.split(" ")) expect(entry).toMatch(/:undefined$/);
    expect(await sandbox.run("require('fs').readFileSync('/etc/passwd', 'utf8')")).toMatchObject({
      ok: false,
      error: { kind: "exception", message: "ReferenceError: 'require' is not defined" },
    });
    expect(await sandbox.run("process.exit(1)")).toMatchObject({ ok: false, error: { kind: "exception" } });
    expect(await sandbox.run("fetch('http://169.254.169.254/')")).toMatchObject({
      ok: false,
      error: { message: "ReferenceError: 'fetch' is not defined" },
    });
    expect(await sandbox.run("import('os')")).toMatchObject({ ok: false, error: { kind: "exception" } });
    expect(await sandbox.run("import fs from 'fs'")).toMatchObject({
      ok: false,
      error: { kind: "exception" },
    });
    // The Function constructor builds functions of the guest, not of the host.
    const escaped = await sandbox.run(
      "(console.log.constructor('return typeof process + typeof require'))()",
    );
    expect(escaped).toMatchObject({ ok: true, value: "undefinedundefined" });
  });

  it("interrupts an endless loop at its deadline and is reusable after", async () => {
    const run = await sandbox.run("while (true) {}");
    expect(run).toMatchObject({
      ok: false,
      error: { kind: "timeout", message: "interrupted at the 400 ms deadline" },
    });
    // The deadline is reset for each run: the next one is not cut short by the last one's.
    expect(await sandbox.run("let n = 0; for (let i = 0; i < 1e5; i += 1) n += i; n")).toMatchObject({
      ok: true,
      value: "4999950000",
    });
  });

  it("interrupts a loop of promise jobs too", async () => {
    const run = await sandbox.run("Promise.resolve().then(() => { while (true) {} }); 'returned'");
    expect(run).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("stops memory bombs at the cap, big strings included, and is reusable after", async () => {
    for (const bomb of [
      "const a = []; while (true) a.push('x'.repeat(1e5) + a.length);",
      "const a = []; while (true) a.push(new Uint8Array(1e6));",
      "const a = []; while (true) a.push({});",
      "new Array(1e9).fill(0)",
      "let s = 'ab'; while (true) s += s;",
    ]) {
      const run = await roomy.run(bomb);
      expect(run.error?.kind, bomb).toBe("memory");
      expect(run.error?.message).toBe("out of memory (the limit is 16 MB)");
      expect(await roomy.run("'still ' + 'here'")).toMatchObject({ ok: true, value: "still here" });
    }
    // A thrown null is the code's own doing, not memory running out.
    expect((await roomy.run("throw null")).error).toMatchObject({
      kind: "exception",
      message: "Error: thrown null",
    });
  });

  it("reports a runaway recursion as a stack overflow", async () => {
    expect(await sandbox.run("function f() { return f() + 1 } f()")).toMatchObject({
      ok: false,
      error: { kind: "stack" },
    });
  });

  it("caps console output and stops the code there", async () => {
    const run = await sandbox.run("for (let i = 0; ; i += 1) console.log('line', i)");
    expect(run).toMatchObject({ ok: false, outputTruncated: true, error: { kind: "output" } });
    expect(Buffer.byteLength(run.output)).toBeLessThanOrEqual(2_000);
    expect(run.output.startsWith("line 0\nline 1\n")).toBe(true);
  });

  it("reports syntax errors and thrown errors with their stack", async () => {
    expect(await sandbox.run("let = ;")).toMatchObject({
      ok: false,
      error: { kind: "exception", message: expect.stringMatching(/^SyntaxError/) },
    });
    const thrown = await sandbox.run("function check() { throw new RangeError('too big') }\ncheck()");
    expect(thrown.error).toMatchObject({ kind: "exception", message: "RangeError: too big" });
    expect(thrown.error?.stack).toContain("task.js:1");
  });

  it("keeps nothing from one run to the next", async () => {
    await sandbox.run("globalThis.leak = 'secret'; Object.prototype.polluted = 1");
    expect(await sandbox.run("typeof leak + ' ' + typeof ({}).polluted")).toMatchObject({
      value: "undefined undefined",
    });
  });

  it("stops a run when its step is cancelled, then starts afresh", async () => {
    const controller = new AbortController();
    const running = sandbox.run("while (true) {}", { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await running).toMatchObject({ ok: false, error: { kind: "aborted" } });
    expect(await sandbox.run("1 + 1")).toMatchObject({ ok: true, value: "2" });
  });

  it("runs queued requests in order, each with its own result", async () => {
    const runs = await Promise.all([1, 2, 3].map((n) => sandbox.run(`console.log(${n}); ${n} * 10`)));
    expect(runs.map((run) => [run.output, run.value])).toEqual([
      ["1", "10"],
      ["2", "20"],
      ["3", "30"],
    ]);
  });

  it("refuses input that is not JSON", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await sandbox.run("input", { input: cyclic })).toMatchObject({
      ok: false,
      error: { kind: "exception" },
    });
  });
});
