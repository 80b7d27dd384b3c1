import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TerminalReader } from "../../../src/adapters/console/terminal-reader.js";

/** A stand-in terminal: keys in, screen out, and the raw-mode switch the reader flips. */
function fakeTerminal() {
  const modes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode(mode: boolean) {
      modes.push(mode);
      return input;
    },
  });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  output.resume();
  return {
    input: input as unknown as NodeJS.ReadStream,
    output: output as unknown as NodeJS.WriteStream,
    modes,
    type: (keys: string) => input.write(keys),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("terminal reader", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "octo-history-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps requests in a history file that up-arrow brings back after a restart; approval answers stay out", async () => {
    const historyFile = path.join(dir, "console-history");
    const first = fakeTerminal();
    const reader = new TerminalReader(first.input, first.output, { historyFile });
    const request = reader.next({ prompt: "› " });
    first.type("search cats\r");
    expect(await request).toBe("search cats");
    const answer = reader.next({ prompt: "Decide > ", remember: false });
    first.type("approve\r");
    expect(await answer).toBe("approve");
    reader.close();
    expect(await readFile(historyFile, "utf8")).toBe('"search cats"\n');
    // Raw mode only while reading: on for each read, off again in between.
    expect(first.modes.at(-1)).toBe(false);
    expect(first.modes).toContain(true);

    const again = fakeTerminal();
    const restarted = new TerminalReader(again.input, again.output, { historyFile });
    const recalled = restarted.next({ prompt: "› " });
    again.type("\u001b[A");
    await tick();
    again.type("\r");
    expect(await recalled).toBe("search cats");
    restarted.close();
  });

  it("reads a pasted text with line breaks as one line, and a long line whole", async () => {
    const terminal = fakeTerminal();
    const reader = new TerminalReader(terminal.input, terminal.output);
    const pasted = reader.next();
    terminal.type("\u001b[200~first line\rsecond line\u001b[201~");
    expect(await pasted).toBe("first line\nsecond line");
    const long = reader.next();
    terminal.type(`${"y".repeat(6000)}\r`);
    expect(await long).toHaveLength(6000);
    reader.close();
  });

  it("Ctrl-C clears a typed line, and on an empty line ends the input", async () => {
    const terminal = fakeTerminal();
    const reader = new TerminalReader(terminal.input, terminal.output);
    const line = reader.next();
    terminal.type("oops");
    await tick();
    terminal.type("\u0003");
    await tick();
    terminal.type("fine\r");
    expect(await line).toBe("fine");
    const end = reader.next();
    terminal.type("\u0003");
    expect(await end).toBeUndefined();
    expect(await reader.next()).toBeUndefined();
  });
});
