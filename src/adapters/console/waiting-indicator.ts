import { clip } from "../../vocabulary/index.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TICK_MS = 200;
const CLEAR_LINE = "\r\u001b[2K";

/**
 * One redrawn line while the model works ("⠹ Planning the work... 12s"), so a long model call is not
 * silence. Only on a terminal: in a pipe or a log it would be noise. Whatever else is printed clears it
 * first (`clear`) and redraws it after (`redraw`), so it never mixes with real output.
 */
export class WaitingIndicator {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private label = "";
  private frame = 0;
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { columns?: number },
    private readonly paint: (text: string) => string = (text) => text,
  ) {}

  start(label: string): void {
    this.stop();
    this.label = label;
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.draw(), TICK_MS);
    this.timer.unref();
    this.draw();
  }

  /** What the run is doing now; the elapsed time keeps counting from `start`. */
  update(label: string): void {
    this.label = label;
  }

  get active(): boolean {
    return this.timer !== undefined;
  }

  clear(): void {
    if (!this.shown) return;
    this.stream.write(CLEAR_LINE);
    this.shown = false;
  }

  redraw(): void {
    if (this.active) this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private draw(): void {
    const seconds = String(Math.floor((Date.now() - this.startedAt) / 1000));
    const frame = FRAMES[this.frame++ % FRAMES.length] as string;
    // One terminal row at most: a wrapped line could not be cleared with a carriage return.
    const room = Math.max(10, (this.stream.columns ?? 80) - seconds.length - 6);
    const label = clip(this.label, room);
    this.stream.write(`${CLEAR_LINE}${this.paint(`${frame} ${label} ${seconds}s`)}`);
    this.shown = true;
  }
}
