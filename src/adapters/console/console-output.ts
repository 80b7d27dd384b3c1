import type { Style } from "./style.js";
import type { WaitingIndicator } from "./waiting-indicator.js";

export interface OutputStream {
  stream: NodeJS.WritableStream;
  style: Style;
}

export interface ConsoleOutputOptions {
  /** The answer: stdout, so a script can read it. */
  answer: OutputStream;
  /** Everything else (progress, cards, prompts, errors): stdout in the console, stderr in one-shot mode. */
  info: OutputStream;
  indicator?: WaitingIndicator | undefined;
}

/** Where the console's lines go, coloured where wanted, never drawn over the waiting indicator. */
export class ConsoleOutput {
  constructor(private readonly options: ConsoleOutputOptions) {}

  answer(text: string): void {
    this.write(this.options.answer, text);
  }

  /** "Saved <path>": part of the answer, except where the answer is a document of its own. */
  saved(text: string, withAnswer: boolean): void {
    const target = withAnswer ? this.options.answer : this.options.info;
    this.write(target, target.style.path(text));
  }

  info(text: string): void {
    this.write(this.options.info, text);
  }

  card(text: string): void {
    this.write(this.options.info, this.options.info.style.attention(text));
  }

  /** A progress line; `label`, when given, becomes what the waiting indicator says the run is doing. */
  progress(text: string, label?: string): void {
    this.write(this.options.info, this.options.info.style.dim(text));
    if (label !== undefined) this.options.indicator?.update(label);
  }

  error(text: string): void {
    this.write(this.options.info, this.options.info.style.error(text));
  }

  /** Prompts written as a line (pipes, transcripts); a terminal reader draws its own. */
  promptLine(text: string): void {
    this.write(this.options.info, this.options.info.style.bold(text));
  }

  /** Shows the waiting indicator (on a terminal) until `waited`. */
  waiting(label: string): void {
    this.options.indicator?.start(label);
  }

  waited(): void {
    this.options.indicator?.stop();
  }

  private write(target: OutputStream, text: string): void {
    this.options.indicator?.clear();
    target.stream.write(`${text}\n`);
    this.options.indicator?.redraw();
  }
}
