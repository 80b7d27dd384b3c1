import readline from "node:readline";

/**
 * Lines from a stream, one `next()` at a time, so the console can read a request and, in the middle of
 * handling it, an approval answer — from a terminal or from a pipe alike.
 */
export class LineReader {
  private readonly buffered: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private readonly rl: readline.Interface;

  constructor(input: NodeJS.ReadableStream, output?: NodeJS.WritableStream) {
    this.rl = readline.createInterface({ input, ...(output ? { output } : {}), terminal: false });
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

  /** The next line, or undefined once the input has ended. */
  next(): Promise<string | undefined> {
    const line = this.buffered.shift();
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
