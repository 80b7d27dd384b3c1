import { t } from "../../i18n/index.js";
import { detectLocale, type OutputFormat } from "../../vocabulary/index.js";
import type { AdapterContext } from "../types.js";
import { consoleUser, lastRequestLocale } from "./console-adapter.js";
import { ConsoleOutput } from "./console-output.js";
import { LineReader, type LineSource } from "./line-reader.js";
import { ConsoleSession, type DecisionPolicy, type RequestOutcome } from "./session.js";
import { colourWanted, styleFor } from "./style.js";
import { TerminalReader } from "./terminal-reader.js";
import { WaitingIndicator } from "./waiting-indicator.js";

export interface AskOptions {
  request: string;
  format: OutputFormat | undefined;
  thread: string | undefined;
  decisions: DecisionPolicy;
  /** `--file` paths, attached to the request (refused files end the command with the usage code). */
  files?: readonly string[];
  input?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Exit codes of `npm start -- ask`: scripts can tell an answer from a refusal from a pending approval. */
export const ASK_EXIT = { ok: 0, failed: 1, usage: 2, pending: 3 } as const;

/**
 * One request from a script: the answer on stdout (for `--format json` the JSON document alone), progress,
 * cards and errors on stderr; files written; then exit. Approvals are read from stdin unless --approve /
 * --reject decides them; with no answer the step stays pending and the exit code says so.
 *
 * On a thread already waiting for a decision, `ask` decides that one and prints its answer rather than
 * sending the request again: running the same command again with --approve is how a script finishes it.
 */
export async function runAsk(ctx: AdapterContext, options: AskOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const input = options.input ?? process.stdin;
  const interactive = isTty(input) && isTty(stderr);
  const reader: LineSource = interactive
    ? new TerminalReader(input as NodeJS.ReadStream, stderr as NodeJS.WriteStream)
    : new LineReader(input, (prompt) => out.promptLine(prompt));
  const errStyle = styleFor(colourWanted(stderr));
  const out = new ConsoleOutput({
    answer: { stream: stdout, style: styleFor(colourWanted(stdout)) },
    info: { stream: stderr, style: errStyle },
    indicator: isTty(stderr) ? new WaitingIndicator(stderr as NodeJS.WriteStream, errStyle.dim) : undefined,
  });
  const threadName = options.thread ?? `ask-${Date.now().toString(36)}`;
  const session = new ConsoleSession({
    conversations: ctx.conversations,
    logger: ctx.logger,
    user: consoleUser(),
    threadKey: `console:${threadName}`,
    format: options.format ?? ctx.config.OCTO_DEFAULT_FORMAT,
    dataDir: ctx.config.dataDir,
    reader,
    out,
    decisions: options.decisions,
    jsonDocument: true,
  });
  try {
    const history = await ctx.conversations.history(session.threadKey, { limit: 1, checkpoints: 0 });
    session.locale = detectLocale(options.request);
    for (const file of options.files ?? []) {
      const refusal = await session.attach(file);
      if (refusal) {
        out.error(refusal);
        return ASK_EXIT.usage;
      }
    }
    session.locale = lastRequestLocale(history);
    const outcome: RequestOutcome =
      history.pendingApprovals.length > 0
        ? await session.settleApprovals()
        : await session.request(options.request);
    const waiting = outcome.pending[0];
    if (waiting) {
      out.info(
        t(waiting.locale, "console.ask_pending", {
          step: waiting.stepId,
          agent: waiting.agent,
          thread: threadName,
        }),
      );
      return ASK_EXIT.pending;
    }
    return outcome.errors.length === 0 && outcome.results > 0 ? ASK_EXIT.ok : ASK_EXIT.failed;
  } finally {
    reader.close();
  }
}

function isTty(stream: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}
