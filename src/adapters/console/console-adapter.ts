import os from "node:os";
import { t } from "../../i18n/index.js";
import type { Adapter, AdapterContext } from "../types.js";
import { parseLine } from "./commands.js";
import { LineReader } from "./line-reader.js";
import { ConsoleSession } from "./session.js";

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

/** The interactive console: a conversation in the terminal, over the same service as every platform. */
export class ConsoleAdapter implements Adapter {
  readonly name = "console";
  private readonly reader: LineReader;
  private readonly output: NodeJS.WritableStream;
  private stopped = false;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly options: ConsoleAdapterOptions,
  ) {
    this.output = options.output ?? process.stdout;
    this.reader = new LineReader(options.input ?? process.stdin);
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
      write: (text) => this.write(text),
      progress: (text) => this.write(text),
      decisions: "ask",
    });
    const history = await this.ctx.conversations.history(threadKey);
    session.locale = history.session?.locale ?? "en";
    this.write(t(session.locale, "console.welcome", { thread: threadKey }));
    if (history.turns.length > 0 || history.pendingApprovals.length > 0) {
      this.write(t(session.locale, "console.resumed", { thread: threadKey, turns: history.turns.length }));
    }
    void this.loop(session)
      .catch((error: unknown) => this.ctx.logger.error({ err: error }, "console loop failed"))
      .finally(() => this.options.onExit());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reader.close();
  }

  private async loop(session: ConsoleSession): Promise<void> {
    for (const run of await this.ctx.conversations.resumeInterrupted("console")) {
      this.write(t(run.locale, "console.resuming_cut", { thread: run.threadKey }));
      await session.show(run.events);
    }
    await session.settleApprovals();
    while (!this.stopped) {
      if ((this.output as { isTTY?: boolean }).isTTY) this.output.write("› ");
      const line = await this.reader.next();
      if (line === undefined) break;
      const input = parseLine(line);
      if (input.kind === "command") {
        if (!(await session.command(input.name, input.argument))) break;
      } else if (input.text.trim().length > 0) {
        await session.request(input.text);
      }
    }
    this.write(t(session.locale, "console.goodbye", { dir: this.ctx.config.dataDir }));
  }

  private write(text: string): void {
    this.output.write(`${text}\n`);
  }
}
