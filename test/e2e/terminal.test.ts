import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOctostrator } from "./run-octostrator.js";

/**
 * The console on a real pseudo-terminal (util-linux `script`), driven by keys as a person types them:
 * line editing, history, pastes longer than the kernel's 4,096-byte line, the waiting indicator, colours
 * and Ctrl-C while a request runs.
 */

const UP = "\u001b[A";
const CTRL_A = "\u0001";
const CTRL_E = "\u0005";
const CTRL_C = "\u0003";
const PASTE_START = "\u001b[200~";
const PASTE_END = "\u001b[201~";
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape codes are what is being removed.
const ESCAPES = /\u001b\[[0-9;?]*[A-Za-z~]|\r/g;
/** The text as it stays on screen: what a line shows after its last erase, without escape codes. */
const plain = (text: string) =>
  text
    .split("\n")
    .map((line) => line.split("\r\u001b[2K").pop()?.split("\u001b[1G\u001b[0J").pop() ?? "")
    .join("\n")
    .replace(ESCAPES, "");
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("npm start on a terminal", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "octo-tty-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("edits lines, recalls history, reads long pastes whole, shows it is working, and stops on Ctrl-C", async () => {
    // Each model call takes a while, as a real one does, so the waiting indicator has something to show.
    const script = path.join(dataDir, "model.json");
    await writeFile(script, JSON.stringify({ delayMs: 700 }));
    const run = startOctostrator([], {
      dataDir,
      keepOpen: true,
      timeoutMs: 150_000,
      terminal: { cols: 200, rows: 50 },
      env: {
        OCTO_LLM_SCRIPT: script,
        OCTO_MAX_INPUT_CHARS: "4500",
        NO_COLOR: undefined,
        FORCE_COLOR: undefined,
      },
    });
    try {
      let at = await run.waitForAfter("› ", 0, 60_000);

      // Ctrl-A / Ctrl-E: "earch cats" becomes "search cats now".
      // One key (or word) a chunk, each once the terminal has echoed the last: Node's readline treats
      // keys arriving together as a paste.
      const type = async (...chunks: string[]) => {
        for (const chunk of chunks) {
          const before = run.stdout().length;
          run.send(chunk);
          await run.waitForAfter(/[\s\S]/, before);
          await pause(50);
        }
      };
      await type("earch cats", CTRL_A, "s", CTRL_E, " now", "\r");
      at = await run.waitForAfter('I found nothing about "cats" in the knowledge base', at);
      const firstRun = run.stdout();
      // The indicator: a spinner frame, what the run is doing and the seconds so far, cleared afterwards.
      expect(firstRun.replace(ESCAPES, "")).toMatch(
        /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (Understanding the request|Planning the work)\.\.\. \d+s/,
      );
      expect(firstRun).toContain("\r\u001b[2K");
      // Colours on a terminal: progress lines are dimmed.
      expect(firstRun).toContain("\u001b[2m… Planning the work");
      // The plan is announced once, not twice.
      expect(plain(firstRun).match(/^… Planning the work\.\.\.$/gm)).toHaveLength(1);
      expect(plain(firstRun)).toContain("Plan: 1 step(s)");
      at = await run.waitForAfter("› ", at);

      // Up brings back the last request, not `^[[A` sent to the model.
      await type(UP, "\r");
      at = await run.waitForAfter('I found nothing about "cats" in the knowledge base', at);
      at = await run.waitForAfter("› ", at);

      // A 5,007-character line, typed without bracketed paste: read whole, then refused for its length.
      run.send(`search ${"x".repeat(5000)}\r`);
      at = await run.waitForAfter("Your message has 5007 characters; I can take at most 4500", at);
      at = await run.waitForAfter("› ", at);

      // A bracketed paste with a line break is one request, not two.
      run.send(`${PASTE_START}search pasted one\rpasted two${PASTE_END}\r`);
      at = await run.waitForAfter('handled "search: search pasted one', at);
      at = await run.waitForAfter("› ", at);

      run.send("/history\r");
      at = await run.waitForAfter(/Conversation console:\S+: 3 turn\(s\)/, at);
      const history = plain(run.stdout().slice(at));
      expect(history).toContain("1. [chat] search cats now");
      expect(history).toContain("2. [chat] search cats now");
      expect(history).toContain("3. [chat] search pasted one pasted two");
      expect(history).not.toContain("[A");
      at = await run.waitForAfter("› ", at);

      // Ctrl-C while a request runs stops the program, saying the request will continue, not that it failed.
      run.send("search dogs\r");
      at = await run.waitForAfter("Understanding the request", at);
      run.send(CTRL_C);
      await run.waitForAfter("Stopped before the answer was ready", at);
      expect(run.stdout().slice(at)).not.toContain("Sorry, that did not work");
      // The bot exits 0; npm, which got the same Ctrl-C, reports it the shell's way (128 + SIGINT).
      expect([0, 130]).toContain(await run.exited);
    } finally {
      run.signal("SIGKILL");
    }
  }, 180_000);
});
