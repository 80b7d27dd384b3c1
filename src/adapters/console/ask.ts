import { t } from "../../i18n/index.js";
import type { AdapterContext } from "../types.js";
import { consoleUser } from "./console-adapter.js";
import { LineReader } from "./line-reader.js";
import { ConsoleSession, type DecisionPolicy } from "./session.js";

export interface AskOptions {
  request: string;
  format: string | undefined;
  thread: string | undefined;
  decisions: DecisionPolicy;
  input?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Exit codes of `npm start -- ask`: scripts can tell an answer from a refusal from a pending approval. */
export const ASK_EXIT = { ok: 0, failed: 1, usage: 2, pending: 3 } as const;

/**
 * One request from a script: prints the answer on stdout (progress on stderr), writes the files, exits.
 * Approvals are read from stdin unless --approve / --reject decides them; with no answer the step stays
 * pending and the exit code says so.
 */
export async function runAsk(ctx: AdapterContext, options: AskOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const reader = new LineReader(options.input ?? process.stdin);
  const user = consoleUser();
  const format = options.format ?? ctx.config.OCTO_DEFAULT_FORMAT;
  const session = new ConsoleSession({
    conversations: ctx.conversations,
    logger: ctx.logger,
    user,
    threadKey: `console:${options.thread ?? `ask-${Date.now().toString(36)}`}`,
    format: format as never,
    dataDir: ctx.config.dataDir,
    reader,
    write: (text) => stdout.write(`${text}\n`),
    progress: (text) => stderr.write(`${text}\n`),
    decisions: options.decisions,
  });
  try {
    // The service validates the format too; passing it through gives the same polite refusal.
    const outcome = await session.request(options.request);
    const waiting = outcome.pending[0];
    if (waiting) {
      stderr.write(
        `${t(waiting.locale, "console.ask_pending", { step: waiting.stepId, agent: waiting.agent })}\n`,
      );
      return ASK_EXIT.pending;
    }
    return outcome.errors.length === 0 && outcome.results > 0 ? ASK_EXIT.ok : ASK_EXIT.failed;
  } finally {
    reader.close();
  }
}
