import readline from "node:readline";

export interface ReadOptions {
  /** Shown before the line is read (a terminal draws it in the edit line, a pipe reader may echo it). */
  prompt?: string | undefined;
  /** Whether the line joins the up-arrow history (requests and commands do; approval answers do not). */
  remember?: boolean | undefined;
}

/**
 * Where the console reads lines from, one `next()` at a time, so it can read a request and, in the
 * middle of handling it, an approval answer.
 */
export interface LineSource {
  /** The next line, or undefined once the input has ended (or the person quit at the prompt). */
  next(options?: ReadOptions): Promise<string | undefined>;
  close(): void;
}

/** Lines from a pipe or a file: no editing, no echo; prompts are printed as lines for transcripts. */
export class LineReader implements LineSource {
  private readonly buffered: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private readonly rl: readline.Interface;

  constructor(
    input: NodeJS.ReadableStream,
    private readonly showPrompt?: (prompt: string) => void,
  ) {
    this.rl = readline.createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
    this.rl.on("line", (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(line);
      } else {
        this.buffered.push(line);
      }
    });
    this.rl.on("close", () => {
      this.ended = true;
      this.waiting?.(undefined);
      this.waiting = undefined;
    });
  }

  next(options: ReadOptions = {}): Promise<string | undefined> {
    const line = this.buffered.shift();
    // The prompt goes with the line that answers it, so a transcript reads as a conversation.
    if (options.prompt !== undefined && (line !== undefined || !this.ended))
      this.showPrompt?.(options.prompt);
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    this.rl.close();
  }
}
