import type { ConversationApi } from "../../conversations/index.js";
import { describeError } from "../../conversations/index.js";
import { MAX_ATTACHMENT_BYTES, MAX_DOWNLOADS } from "../../delivery/index.js";
import { t } from "../../i18n/index.js";
import type { Logger } from "../../log.js";
import { formatBytes, console as render } from "../../renderers/index.js";
import {
  clip,
  isOutputFormat,
  type Locale,
  OUTPUT_FORMATS,
  type OutputFormat,
  oneLine,
} from "../../vocabulary/index.js";
import { isYes, parseRewind } from "./commands.js";
import type { ConsoleOutput } from "./console-output.js";
import type { LineSource } from "./line-reader.js";
import type { LocalFiles, StageOutcome } from "./local-files.js";

/** What a command may read and change of the conversation it runs in. */
export interface SessionState {
  threadKey: string;
  format: OutputFormat;
  locale: Locale;
  /** Files attached with /attach, sent with the next request. */
  files: LocalFiles;
}

export interface SessionCommandOptions {
  conversations: ConversationApi;
  logger: Logger;
  user: string;
  reader: LineSource;
  out: ConsoleOutput;
  terminal?: boolean;
}

/**
 * The console's slash commands: /help, /format, /attach, /detach, /history, /rewind, /sessions, /new,
 * /forget, /quit.
 */
export class SessionCommands {
  constructor(
    private readonly state: SessionState,
    private readonly options: SessionCommandOptions,
  ) {}

  private say(text: string): void {
    this.options.out.info(text);
  }

  /** Returns false for /quit. */
  async run(name: string, argument: string): Promise<boolean> {
    const locale = this.state.locale;
    switch (name) {
      case "help":
        this.say(
          render.renderHelp(locale, { commandName: "npm start --", terminal: this.options.terminal === true })
            .text,
        );
        return true;
      case "format":
        if (!isOutputFormat(argument)) {
          this.say(
            t(locale, "error.format_unknown", {
              format: argument || "-",
              formats: OUTPUT_FORMATS.join(", "),
            }),
          );
          return true;
        }
        this.state.format = argument;
        this.say(t(locale, "console.format_set", { format: argument }));
        return true;
      case "attach":
        await this.attach(argument);
        return true;
      case "detach":
        this.say(t(locale, "console.detached", { count: this.state.files.clear() }));
        return true;
      case "history":
        await this.history(argument);
        return true;
      case "rewind":
        await this.rewind(argument);
        return true;
      case "sessions":
        await this.sessions();
        return true;
      case "new":
        this.state.threadKey = newThreadKey(this.options.user);
        this.say(t(locale, "console.new_thread", { thread: this.state.threadKey }));
        return true;
      case "forget":
        await this.forget();
        return true;
      case "quit":
      case "exit":
        return false;
      default:
        this.say(t(locale, "error.command_unknown", { command: `/${name}` }));
        return true;
    }
  }

  private async attach(argument: string): Promise<void> {
    const locale = this.state.locale;
    const files = this.state.files;
    if (!argument) {
      const names = files.files.map((file) => file.name).join(", ");
      this.say(names ? t(locale, "console.attach_list", { names }) : t(locale, "console.attach_none"));
      return;
    }
    const outcome = await files.stage(argument);
    if ("refused" in outcome) {
      this.options.logger.info({ path: argument, reason: outcome.refused }, "console attachment refused");
      this.say(refusalText(locale, outcome));
      return;
    }
    this.say(
      t(locale, "console.attached", {
        name: outcome.staged.name,
        size: formatBytes(outcome.staged.size ?? 0),
        count: files.files.length,
        max: MAX_DOWNLOADS,
      }),
    );
  }

  /** Deleting a conversation cannot be undone, so it is asked once more. */
  private async forget(): Promise<void> {
    const locale = this.state.locale;
    const thread = this.state.threadKey;
    const answer = await this.options.reader.next({
      prompt: t(locale, "console.forget_confirm", { thread }),
      remember: false,
    });
    if (answer === undefined || !isYes(answer)) {
      this.say(t(locale, "console.forget_kept", { thread }));
      return;
    }
    const existed = await this.options.conversations.forget(thread);
    this.say(t(locale, existed ? "console.forgotten" : "console.nothing_to_forget", { thread }));
    this.state.threadKey = newThreadKey(this.options.user);
    this.say(t(locale, "console.new_thread", { thread: this.state.threadKey }));
  }

  /** One page of the conversation, the newest turns; `/history 81` shows the turns before turn 81. */
  private async history(argument: string): Promise<void> {
    const before = /^\d+$/.test(argument.trim()) ? Number(argument.trim()) : undefined;
    const history = await this.options.conversations.history(this.state.threadKey, { before });
    const locale = this.state.locale;
    const thread = this.state.threadKey;
    if (history.turnCount === 0 && history.pendingApprovals.length === 0) {
      this.say(t(locale, "console.history_empty", { thread }));
      return;
    }
    const lines = [
      t(locale, "console.history_title", {
        thread,
        turns: history.turnCount,
        checkpoints: history.checkpointCount,
      }),
    ];
    if (history.olderBefore !== undefined)
      lines.push(t(locale, "console.history_older", { before: history.olderBefore }));
    for (const turn of history.turns) {
      const rated = turn.feedback.up + turn.feedback.down > 0;
      lines.push(
        `  ${turn.index}. [${turn.format}] ${clip(oneLine(turn.request), 90)}${rated ? ` · ${t(locale, "feedback.tally", { ...turn.feedback })}` : ""}`,
        `     → ${clip(oneLine(turn.answer), 110)}`,
      );
    }
    if (history.pendingApprovals.length > 0) {
      lines.push(t(locale, "console.pending_title"));
      for (const approval of history.pendingApprovals) {
        lines.push(`  #${approval.stepId} [${approval.agent}] ${clip(oneLine(approval.task), 90)}`);
      }
    }
    lines.push(t(locale, "console.checkpoints_title"));
    for (const checkpoint of history.checkpoints) {
      const next = checkpoint.next.length > 0 ? checkpoint.next.join(",") : "end of turn";
      lines.push(
        `  ${checkpoint.checkpointId}  ${checkpoint.createdAt}  turns=${checkpoint.turns}  next=${next}`,
      );
    }
    this.say(render.terminalSafe(lines.join("\n")));
  }

  private async rewind(argument: string): Promise<void> {
    const locale = this.state.locale;
    const target = parseRewind(argument);
    if (!target) {
      this.say(t(locale, argument ? "console.rewind_unknown" : "console.rewind_usage", { target: argument }));
      return;
    }
    if ("turns" in target && target.turns === 0) {
      this.say(t(locale, "console.rewind_zero"));
      return;
    }
    try {
      const outcome = await this.options.conversations.rewind(this.state.threadKey, target);
      this.say(t(locale, "console.rewound", { turns: outcome.turns, checkpoint: outcome.checkpointId }));
    } catch (error) {
      this.options.logger.warn({ err: error, threadKey: this.state.threadKey, target }, "rewind refused");
      this.say(describeError(error, locale).message);
    }
  }

  private async sessions(): Promise<void> {
    const locale = this.state.locale;
    const sessions = await this.options.conversations.sessions(this.options.user);
    if (sessions.length === 0) {
      this.say(t(locale, "console.sessions_empty"));
      return;
    }
    const lines = [t(locale, "console.sessions_title")];
    for (const session of sessions) {
      const marker = session.threadKey === this.state.threadKey ? "*" : " ";
      lines.push(
        `${marker} ${session.threadKey}  ${session.status}  turns=${session.turns}  ${session.updatedAt.toISOString()}  ${clip(oneLine(session.title), 60)}`,
      );
    }
    this.say(render.terminalSafe(lines.join("\n")));
  }
}

export function newThreadKey(user: string): string {
  return `console:${user}-${Date.now().toString(36)}`;
}

export function refusalText(locale: Locale, outcome: Extract<StageOutcome, { refused: unknown }>): string {
  return t(locale, `console.attach_refused.${outcome.refused}`, {
    name: outcome.name,
    limit: formatBytes(MAX_ATTACHMENT_BYTES),
    max: MAX_DOWNLOADS,
  });
}
