import type {
  ApprovalView,
  ConversationApi,
  EventStream,
  RunEvent,
  RunResult,
} from "../../conversations/index.js";
import { approvalCardOf } from "../../conversations/index.js";
import { t } from "../../i18n/index.js";
import type { Logger } from "../../log.js";
import { console as render } from "../../renderers/index.js";
import type { Locale, OutputFormat } from "../../vocabulary/index.js";
import { parseDecision, parseLine } from "./commands.js";
import type { ConsoleOutput } from "./console-output.js";
import type { LineSource } from "./line-reader.js";
import { LocalFiles } from "./local-files.js";
import { writeFiles } from "./output.js";
import { refusalText, SessionCommands } from "./session-commands.js";

export type DecisionPolicy = "ask" | "approve" | "reject";

export interface ConsoleSessionOptions {
  conversations: ConversationApi;
  logger: Logger;
  user: string;
  threadKey: string;
  format: OutputFormat;
  dataDir: string;
  reader: LineSource;
  out: ConsoleOutput;
  decisions: DecisionPolicy;
  /** One-shot mode: a json result is printed as the bare JSON document, alone on stdout. */
  jsonDocument?: boolean;
  /** The interactive console on a terminal: /help then lists the editing keys too. */
  terminal?: boolean;
  /** Where relative `/attach` paths start (the process's folder by default). */
  cwd?: string;
}

export interface StreamOutcome {
  results: number;
  errors: RunEvent[];
}

export interface RequestOutcome extends StreamOutcome {
  pending: ApprovalView[];
  /** The person typed /quit at a decision prompt. */
  quit: boolean;
}

type Answer = { decision: "approve" | "reject" | "edit"; editedTask?: string };

/**
 * One person's console conversation over the ConversationService: requests, approval prompts, and files
 * written to disk. Shared by the interactive console and the one-shot `ask` mode.
 */
export class ConsoleSession {
  threadKey: string;
  format: OutputFormat;
  locale: Locale = "en";
  readonly files: LocalFiles;
  private readonly commands: SessionCommands;

  constructor(private readonly options: ConsoleSessionOptions) {
    this.threadKey = options.threadKey;
    this.format = options.format;
    this.files = new LocalFiles(options.logger, options.cwd);
    this.commands = new SessionCommands(this, options);
  }

  private get out(): ConsoleOutput {
    return this.options.out;
  }

  /** Sends a request, shows the run, then asks for any decisions it waits on. */
  async request(text: string): Promise<RequestOutcome> {
    const attachments = await this.files.take();
    for (const file of attachments ?? []) {
      if (file.text === undefined && file.data === undefined)
        this.out.error(t(this.locale, "console.attach_unread", { name: file.name }));
    }
    const outcome = await this.show(
      this.options.conversations.send({
        platform: "console",
        threadKey: this.threadKey,
        user: this.options.user,
        text,
        format: this.format,
        ...(attachments ? { attachments } : {}),
      }),
    );
    const settled = await this.settleApprovals();
    return {
      ...settled,
      results: outcome.results + settled.results,
      errors: [...outcome.errors, ...settled.errors],
    };
  }

  /** Prints a run's events as they arrive; writes result files; returns what happened. */
  async show(stream: EventStream): Promise<StreamOutcome> {
    const outcome: StreamOutcome = { results: 0, errors: [] };
    this.out.waiting(t(this.locale, "progress.title"));
    try {
      for await (const event of stream) {
        this.locale = event.locale;
        switch (event.type) {
          case "result":
            outcome.results += 1;
            await this.showResult(event.result, event.runId, event.locale);
            break;
          case "error":
            outcome.errors.push(event);
            this.out.error(render.renderError(event, event.locale).text);
            break;
          default: {
            const line = render.renderEventLine(event, event.locale);
            if (!line) break;
            const label =
              event.type === "status"
                ? line.replace(/^…\s*/, "")
                : event.type === "step_started"
                  ? line
                  : undefined;
            this.out.progress(line, label);
          }
        }
      }
    } finally {
      this.out.waited();
    }
    return outcome;
  }

  private async showResult(result: RunResult, runId: string, locale: Locale): Promise<void> {
    const rendered = await render.renderResult(result, locale);
    // `ask --format json | jq`: stdout carries the document and nothing else.
    const documentOnly = this.options.jsonDocument === true && result.format === "json";
    if (documentOnly)
      this.out.answer(
        JSON.stringify(
          { aggregated_data: result.aggregated_data, final_result: result.final_result },
          null,
          2,
        ),
      );
    for (const message of rendered.messages) {
      if (documentOnly) this.out.info(message.text);
      else this.out.answer(message.text);
    }
    const paths = await writeFiles(this.options.dataDir, this.threadKey, runId, rendered.files);
    for (const file of paths)
      this.out.saved(t(locale, "console.file_written", { path: file }), !documentOnly);
  }

  /**
   * Asks for every pending decision of this conversation, one at a time, until none is left, the input
   * ends or the person quits. Works the same after a restart: the pending approvals come from the store.
   */
  async settleApprovals(): Promise<RequestOutcome> {
    const total: StreamOutcome = { results: 0, errors: [] };
    const refused = new Set<string>();
    for (;;) {
      const pending = (await this.options.conversations.pendingApprovals(this.threadKey)).filter(
        (approval) => !refused.has(approval.approvalId),
      );
      const approval = pending[0];
      if (!approval) return { ...total, pending: [], quit: false };
      const answer = await this.decisionFor(approval);
      if (answer === undefined || answer === "quit") {
        for (const left of pending) {
          this.out.info(t(left.locale, "console.approval_left_pending", { step: left.stepId }));
        }
        return { ...total, pending, quit: answer === "quit" };
      }
      const outcome = await this.show(
        this.options.conversations.decide(approval.approvalId, { ...answer, by: this.options.user }),
      );
      total.results += outcome.results;
      total.errors.push(...outcome.errors);
      // A refused decision (not allowed, expired ...) must not be asked again in a loop.
      if (outcome.errors.some((e) => e.type === "error" && e.kind.startsWith("approval_")))
        refused.add(approval.approvalId);
    }
  }

  /** The person's decision on one approval; "quit" for /quit, undefined when the input ended. */
  private async decisionFor(approval: ApprovalView): Promise<Answer | "quit" | undefined> {
    const policy = this.options.decisions;
    if (policy !== "ask") return { decision: policy };
    const locale = approval.locale;
    this.out.card(render.renderApprovalCard(approvalCardOf(approval), locale).text);
    for (;;) {
      const line = await this.options.reader.next({
        prompt: t(locale, "console.approval_prompt", { step: approval.stepId, agent: approval.agent }),
        remember: false,
      });
      if (line === undefined) return undefined;
      const input = parseLine(line);
      if (input.kind === "command") {
        if (input.name === "quit" || input.name === "exit") return "quit";
        if (input.name === "history") await this.commands.run("history", input.argument);
        else this.out.info(t(locale, "console.approval_commands"));
        continue;
      }
      const parsed = parseDecision(line);
      if (!parsed) {
        this.out.info(t(locale, "console.approval_invalid"));
        continue;
      }
      if (parsed.decision !== "edit") return { decision: parsed.decision };
      let task = parsed.editedTask;
      while (!task) {
        const next = await this.options.reader.next({
          prompt: t(locale, "console.edit_prompt", { step: approval.stepId }),
          remember: false,
        });
        if (next === undefined) return undefined;
        task = next.trim() || undefined;
      }
      return { decision: "edit", editedTask: task };
    }
  }

  /** Attaches a file to the next request; the reason in the person's language when it cannot be. */
  async attach(given: string): Promise<string | undefined> {
    const outcome = await this.files.stage(given);
    if (!("refused" in outcome)) return undefined;
    this.options.logger.info({ path: given, reason: outcome.refused }, "console attachment refused");
    return refusalText(this.locale, outcome);
  }

  /** Runs a slash command; returns false for /quit. */
  command(name: string, argument: string): Promise<boolean> {
    return this.commands.run(name, argument);
  }
}
