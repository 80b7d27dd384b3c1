import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { LineSource, ReadOptions } from "./line-reader.js";

const HISTORY_SIZE = 500;
/** Longer lines (pastes, mostly) are not kept in the history file. */
const HISTORY_MAX_CHARS = 4_000;
const BRACKETED_PASTE_ON = "\u001b[?2004h";
const BRACKETED_PASTE_OFF = "\u001b[?2004l";

export interface TerminalReaderOptions {
  /** Where the up-arrow history is kept between runs (one JSON string a line, oldest first). */
  historyFile?: string | undefined;
}

/**
 * Lines typed at a terminal, with readline's editing (arrows, Ctrl-A/E, Ctrl-U/K/W, up for earlier
 * lines).
 *
 * Raw mode is on only while a line is being read. That is what lifts the kernel's 4,096-byte limit on a
 * canonical-mode line (N_TTY_BUF_SIZE: a longer paste used to be cut silently at 4,095 characters), and
 * turning it off between reads gives Ctrl-C back to the terminal while a request runs, so it stops the
 * program the way people expect. Typed-ahead lines are kept, not lost. Bracketed paste mode lets a
 * pasted text with line breaks arrive as one request instead of one request per line.
 */
export class TerminalReader implements LineSource {
  private readonly rl: readline.Interface;
  private readonly history: string[];
  private readonly buffered: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private remember = true;
  private pasting = false;
  private pastedLines: string[] = [];

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
    private readonly options: TerminalReaderOptions = {},
  ) {
    this.history = loadHistory(options.historyFile);
    this.rl = readline.createInterface({
      input,
      output,
      terminal: true,
      history: this.history,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      prompt: "",
    });
    this.rl.on("history", (entries) => {
      // Approval answers ("approve") are not what up-arrow should bring back.
      if (!this.remember || this.pasting) entries.shift();
      else this.saveHistory();
    });
    this.rl.on("line", (line) => this.onLine(line));
    this.rl.on("SIGINT", () => this.onInterrupt());
    this.rl.on("close", () => {
      this.ended = true;
      this.output.write(BRACKETED_PASTE_OFF);
      this.deliver(undefined);
    });
    input.on("keypress", this.onKeypress);
    this.idle();
  }

  next(options: ReadOptions = {}): Promise<string | undefined> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.resolve(undefined);
    this.remember = options.remember ?? true;
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.input.setRawMode(true);
      this.output.write(BRACKETED_PASTE_ON);
      this.rl.resume();
      this.rl.setPrompt(options.prompt ?? "");
      this.rl.prompt(true);
    });
  }

  close(): void {
    this.input.off("keypress", this.onKeypress);
    this.rl.close();
  }

  private readonly onKeypress = (_text: string | undefined, key: { name?: string } | undefined) => {
    if (key?.name === "paste-start") {
      this.pasting = true;
      this.pastedLines = [];
    } else if (key?.name === "paste-end") {
      this.pasting = false;
      if (this.pastedLines.length === 0) return;
      // The paste had line breaks: its lines, and whatever followed the last one, are one request.
      const rest = this.rl.line;
      this.rl.write(null, { ctrl: true, name: "e" });
      this.rl.write(null, { ctrl: true, name: "u" });
      if (rest.length > 0) this.output.write("\n");
      const text = [...this.pastedLines, rest].join("\n").replace(/\n+$/, "");
      this.pastedLines = [];
      this.deliver(text);
    }
  };

  private onLine(line: string): void {
    if (this.pasting) {
      this.pastedLines.push(line);
      return;
    }
    this.deliver(line);
  }

  /** Ctrl-C at the prompt clears what was typed, as in a shell; on an empty line it quits. */
  private onInterrupt(): void {
    if (this.rl.line.length > 0) {
      this.rl.write(null, { ctrl: true, name: "e" });
      this.rl.write(null, { ctrl: true, name: "u" });
      this.output.write("^C\n");
      this.rl.prompt(true);
      return;
    }
    this.output.write("\n");
    this.rl.close();
  }

  private deliver(line: string | undefined): void {
    const resolve = this.waiting;
    if (!resolve) {
      if (line !== undefined) this.buffered.push(line);
      return;
    }
    this.waiting = undefined;
    if (!this.ended) this.idle();
    resolve(line);
  }

  /** Between reads the terminal is the program's again: cooked mode, Ctrl-C a signal, no editing. */
  private idle(): void {
    this.rl.pause();
    this.output.write(BRACKETED_PASTE_OFF);
    if (this.input.isTTY) this.input.setRawMode(false);
  }

  private saveHistory(): void {
    const file = this.options.historyFile;
    if (!file) return;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const kept = this.history.filter((entry) => entry.length <= HISTORY_MAX_CHARS).reverse();
      writeFileSync(file, kept.map((entry) => `${JSON.stringify(entry)}\n`).join(""), { mode: 0o600 });
    } catch {
      // A history that cannot be saved only costs the up-arrow after a restart.
    }
  }
}

function loadHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    const entries: string[] = [];
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line) continue;
      const entry: unknown = JSON.parse(line);
      if (typeof entry === "string") entries.push(entry);
    }
    return entries.reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}
