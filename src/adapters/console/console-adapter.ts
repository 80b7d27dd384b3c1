import os from "node:os";
import path from "node:path";
import type { ThreadHistory } from "../../conversations/index.js";
import { t } from "../../i18n/index.js";
import { detectLocale, type Locale } from "../../vocabulary/index.js";
import type { Adapter, AdapterContext } from "../types.js";
import { parseLine } from "./commands.js";
import { ConsoleOutput } from "./console-output.js";
import { LineReader, type LineSource } from "./line-reader.js";
import { ConsoleSession } from "./session.js";
import { colourWanted, styleFor } from "./style.js";
import { TerminalReader } from "./terminal-reader.js";
import { WaitingIndicator } from "./waiting-indicator.js";

export interface ConsoleAdapterOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Continue this conversation (`console:{name}`) instead of the most recent one. */
  thread?: string | undefined;
  /** Called once when the person quits or the input ends. */
  onExit: () => void;
}

export function consoleUser(): string {
  try {
    return os.userInfo().username || "local";
  } catch {
    return "local";
  }
}

const PROMPT = "› ";

/**
 * The interactive console: a conversation in the terminal, over the same service as every platform.
 * On a terminal it edits lines, keeps a history, colours and shows a waiting indicator; from a pipe it
 * reads plain lines and prints plain text.
 */
export class ConsoleAdapter implements Adapter {
  readonly name = "console";
  private readonly reader: LineSource;
  private readonly out: ConsoleOutput;
  private readonly terminal: boolean;
  private stopped = false;
  private detach: (() => void) | undefined;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly options: ConsoleAdapterOptions,
  ) {
    const input = options.input ?? process.stdin;
    const output = options.output ?? process.stdout;
    const style = styleFor(colourWanted(output));
    this.terminal = isTty(input) && isTty(output);
    const indicator = this.terminal
      ? new WaitingIndicator(output as NodeJS.WriteStream, style.dim)
      : undefined;
    this.out = new ConsoleOutput({
      answer: { stream: output, style },
      info: { stream: output, style },
      indicator,
    });
    this.reader = this.terminal
      ? new TerminalReader(input as NodeJS.ReadStream, output as NodeJS.WriteStream, {
          historyFile: path.join(ctx.config.dataDir, "console-history"),
        })
      : new LineReader(input, (prompt) => this.out.promptLine(prompt));
  }

  async start(): Promise<void> {
    const user = consoleUser();
    const threadKey = this.options.thread
      ? `console:${this.options.thread}`
      : ((await this.ctx.conversations.sessions(user)).find((s) => s.platform === "console")?.threadKey ??
        `console:${user}`);
    const session = new ConsoleSession({
      conversations: this.ctx.conversations,
      logger: this.ctx.logger,
      user,
      threadKey,
      format: this.ctx.config.OCTO_DEFAULT_FORMAT,
      dataDir: this.ctx.config.dataDir,
      reader: this.reader,
      out: this.out,
      decisions: "ask",
      terminal: this.terminal,
    });
    // The newest turn is all the greeting needs; its locale and the count.
    const history = await this.ctx.conversations.history(threadKey, { limit: 1, checkpoints: 0 });
    session.locale = lastRequestLocale(history);
    this.out.info(t(session.locale, "console.welcome", { thread: threadKey }));
    if (history.turnCount > 0 || history.pendingApprovals.length > 0) {
      this.out.info(t(session.locale, "console.resumed", { thread: threadKey, turns: history.turnCount }));
    }
    void this.loop(session)
      .catch((error: unknown) => this.ctx.logger.error({ err: error }, "console loop failed"))
      .finally(() => this.options.onExit());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reader.close();
    this.detach?.();
  }

  private async loop(session: ConsoleSession): Promise<void> {
    // Runs a stop cut short carry on first (their jobs kept in the store); nobody follows them, so
    // this process reports them here, before the prompt comes back.
    const detach = this.ctx.conversations.deliverTo("console", async (run) => {
      this.out.info(t(run.locale, "console.resuming_cut", { thread: run.threadKey }));
      await session.show(run.events);
    });
    this.detach = detach;
    await this.ctx.conversations.start();
    await this.ctx.conversations.idle(session.threadKey);
    let quit = (await session.settleApprovals()).quit;
    while (!this.stopped && !quit) {
      const line = await this.reader.next({ prompt: this.terminal ? PROMPT : undefined });
      if (line === undefined || this.stopped) break;
      const input = parseLine(line);
      if (input.kind === "command") {
        quit = !(await session.command(input.name, input.argument));
      } else if (input.text.trim().length > 0) {
        quit = (await session.request(input.text)).quit;
      }
    }
    this.out.info(t(session.locale, "console.goodbye", { dir: this.ctx.config.dataDir }));
  }
}

function isTty(stream: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/**
 * The greeting speaks the language of the person's latest request: a pending one (it is the newest), else
 * the last turn's, else what the conversation last recorded.
 */
export function lastRequestLocale(history: ThreadHistory): Locale {
  const pending = history.pendingApprovals[0];
  if (pending) return pending.locale;
  const last = history.turns[history.turns.length - 1];
  if (last) return detectLocale(last.request);
  return history.session?.locale ?? "en";
}
