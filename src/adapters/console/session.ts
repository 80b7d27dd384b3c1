import type { ApprovalView, ConversationApi, EventStream, RunEvent } from "../../conversations/index.js";
import { approvalCardOf, describeError } from "../../conversations/index.js";
import { t } from "../../i18n/index.js";
import type { Logger } from "../../log.js";
import { console as render } from "../../renderers/index.js";
import { isOutputFormat, type Locale, OUTPUT_FORMATS, type OutputFormat } from "../../vocabulary/index.js";
import { parseDecision, parseRewind } from "./commands.js";
import type { LineReader } from "./line-reader.js";
import { writeFiles } from "./output.js";

export type DecisionPolicy = "ask" | "approve" | "reject";

export interface ConsoleSessionOptions {
  conversations: ConversationApi;
  logger: Logger;
  user: string;
  threadKey: string;
  format: OutputFormat;
  dataDir: string;
  reader: LineReader;
  /** People-facing output (answers, cards, prompts). */
  write: (text: string) => void;
  /** Progress lines; the one-shot mode sends them to stderr so stdout stays the answer. */
  progress: (text: string) => void;
  decisions: DecisionPolicy;
}

export interface StreamOutcome {
  results: number;
  errors: RunEvent[];
}

/**
 * One person's console conversation over the ConversationService: requests, commands, approval prompts,
 * and files written to disk. Shared by the interactive console and the one-shot `ask` mode.
 */
export class ConsoleSession {
  threadKey: string;
  format: OutputFormat;
  locale: Locale = "en";

  constructor(private readonly options: ConsoleSessionOptions) {
    this.threadKey = options.threadKey;
    this.format = options.format;
  }

  private get conversations(): ConversationApi {
    return this.options.conversations;
  }

  private say(text: string): void {
    this.options.write(text);
  }

  /** Sends a request, shows the run, then asks for any decisions it waits on. */
  async request(text: string): Promise<StreamOutcome & { pending: ApprovalView[] }> {
    const outcome = await this.show(
      this.conversations.send({
        platform: "console",
        threadKey: this.threadKey,
        user: this.options.user,
        text,
        format: this.format,
      }),
    );
    const settled = await this.settleApprovals();
    return {
      results: outcome.results + settled.results,
      errors: [...outcome.errors, ...settled.errors],
      pending: settled.pending,
    };
  }

  /** Prints a run's events as they arrive; writes result files; returns what happened. */
  async show(stream: EventStream): Promise<StreamOutcome> {
    const outcome: StreamOutcome = { results: 0, errors: [] };
    for await (const event of stream) {
      this.locale = event.locale;
      switch (event.type) {
        case "result": {
          outcome.results += 1;
          const rendered = await render.renderResult(event.result, event.locale);
          for (const message of rendered.messages) this.say(message.text);
          const paths = await writeFiles(this.options.dataDir, this.threadKey, event.runId, rendered.files);
          for (const file of paths) this.say(t(event.locale, "console.file_written", { path: file }));
          break;
        }
        case "error":
          outcome.errors.push(event);
          this.say(render.renderError(event, event.locale).text);
          break;
        default: {
          const line = render.renderEventLine(event, event.locale);
          if (line) this.options.progress(line);
        }
      }
    }
    return outcome;
  }

  /**
   * Asks for every pending decision of this conversation, one at a time, until none is left or the input
   * ends. Works the same after a restart: the pending approvals come from the store.
   */
  async settleApprovals(): Promise<StreamOutcome & { pending: ApprovalView[] }> {
    const total: StreamOutcome = { results: 0, errors: [] };
    const refused = new Set<string>();
    for (;;) {
      const pending = (await this.conversations.history(this.threadKey)).pendingApprovals.filter(
        (approval) => !refused.has(approval.approvalId),
      );
      const approval = pending[0];
      if (!approval) return { ...total, pending: [] };
      const answer = await this.decisionFor(approval);
      if (!answer) {
        for (const left of pending) {
          this.say(t(left.locale, "console.approval_left_pending", { step: left.stepId }));
        }
        return { ...total, pending };
      }
      const outcome = await this.show(
        this.conversations.decide(approval.approvalId, { ...answer, by: this.options.user }),
      );
      total.results += outcome.results;
      total.errors.push(...outcome.errors);
      // A refused decision (not allowed, expired ...) must not be asked again in a loop.
      if (outcome.errors.some((e) => e.type === "error" && e.kind.startsWith("approval_")))
        refused.add(approval.approvalId);
    }
  }

  private async decisionFor(
    approval: ApprovalView,
  ): Promise<{ decision: "approve" | "reject" | "edit"; editedTask?: string } | undefined> {
    const policy = this.options.decisions;
    if (policy !== "ask") return { decision: policy };
    this.say(render.renderApprovalCard(approvalCardOf(approval), approval.locale).text);
    for (;;) {
      this.say(
        t(approval.locale, "console.approval_prompt", { step: approval.stepId, agent: approval.agent }),
      );
      const line = await this.options.reader.next();
      if (line === undefined) return undefined;
      const parsed = parseDecision(line);
      if (!parsed) {
        this.say(t(approval.locale, "console.approval_invalid"));
        continue;
      }
      if (parsed.decision !== "edit") return { decision: parsed.decision };
      let task = parsed.editedTask;
      while (!task) {
        this.say(t(approval.locale, "console.edit_prompt", { step: approval.stepId }));
        const next = await this.options.reader.next();
        if (next === undefined) return undefined;
        task = next.trim() || undefined;
      }
      return { decision: "edit", editedTask: task };
    }
  }

  /** Runs a slash command; returns false for /quit. */
  async command(name: string, argument: string): Promise<boolean> {
    const locale = this.locale;
    switch (name) {
      case "help":
        this.say(render.renderHelp(locale, { commandName: "npm start --" }).text);
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
        this.format = argument;
        this.say(t(locale, "console.format_set", { format: argument }));
        return true;
      case "history":
        await this.history();
        return true;
      case "rewind":
        await this.rewind(argument);
        return true;
      case "sessions":
        await this.sessions();
        return true;
      case "new":
        this.threadKey = newThreadKey(this.options.user);
        this.say(t(locale, "console.new_thread", { thread: this.threadKey }));
        return true;
      case "forget": {
        const existed = await this.conversations.forget(this.threadKey);
        this.say(
          t(locale, existed ? "console.forgotten" : "console.nothing_to_forget", { thread: this.threadKey }),
        );
        this.threadKey = newThreadKey(this.options.user);
        this.say(t(locale, "console.new_thread", { thread: this.threadKey }));
        return true;
      }
      case "quit":
      case "exit":
        return false;
      default:
        this.say(t(locale, "error.command_unknown", { command: `/${name}` }));
        return true;
    }
  }

  private async history(): Promise<void> {
    const history = await this.conversations.history(this.threadKey);
    const locale = history.session?.locale ?? this.locale;
    if (history.turns.length === 0 && history.pendingApprovals.length === 0) {
      this.say(t(locale, "console.history_empty", { thread: this.threadKey }));
      return;
    }
    const lines = [
      t(locale, "console.history_title", {
        thread: this.threadKey,
        turns: history.turns.length,
        checkpoints: history.checkpoints.length,
      }),
    ];
    for (const turn of history.turns) {
      lines.push(
        `  ${turn.index}. [${turn.format}] ${oneLine(turn.request, 90)}`,
        `     → ${oneLine(turn.answer, 110)}`,
      );
    }
    if (history.pendingApprovals.length > 0) {
      lines.push(t(locale, "console.pending_title"));
      for (const approval of history.pendingApprovals) {
        lines.push(`  #${approval.stepId} [${approval.agent}] ${oneLine(approval.task, 90)}`);
      }
    }
    lines.push(t(locale, "console.checkpoints_title"));
    for (const checkpoint of history.checkpoints.slice(0, 10)) {
      const next = checkpoint.next.length > 0 ? checkpoint.next.join(",") : "end of turn";
      lines.push(
        `  ${checkpoint.checkpointId}  ${checkpoint.createdAt}  turns=${checkpoint.turns}  next=${next}`,
      );
    }
    this.say(lines.join("\n"));
  }

  private async rewind(argument: string): Promise<void> {
    const target = parseRewind(argument);
    if (!target) {
      this.say(t(this.locale, "console.rewind_usage"));
      return;
    }
    try {
      const outcome = await this.conversations.rewind(this.threadKey, target);
      this.say(t(this.locale, "console.rewound", { turns: outcome.turns, checkpoint: outcome.checkpointId }));
    } catch (error) {
      this.options.logger.warn({ err: error, threadKey: this.threadKey, target }, "rewind refused");
      this.say(describeError(error, this.locale).message);
    }
  }

  private async sessions(): Promise<void> {
    const sessions = await this.conversations.sessions(this.options.user);
    if (sessions.length === 0) {
      this.say(t(this.locale, "console.sessions_empty"));
      return;
    }
    const lines = [t(this.locale, "console.sessions_title")];
    for (const session of sessions) {
      const marker = session.threadKey === this.threadKey ? "*" : " ";
      lines.push(
        `${marker} ${session.threadKey}  ${session.status}  turns=${session.turns}  ${session.updatedAt.toISOString()}  ${oneLine(session.title, 60)}`,
      );
    }
    this.say(lines.join("\n"));
  }
}

export function newThreadKey(user: string): string {
  return `console:${user}-${Date.now().toString(36)}`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
