import type { ApprovalCard, RunEventOf } from "../conversations/events.js";
import type { RunResult } from "../supervisor/types.js";
import type { Locale, OutputFormat, Rating } from "../vocabulary/index.js";
import type { ProgressState } from "./progress.js";

/** A file to upload beside a reply. `title` is what platforms show above it; `altText` describes images. */
export interface RenderedFile {
  filename: string;
  mimeType: string;
  data: Buffer;
  title?: string;
  altText?: string;
}

/** What every renderer returns: messages to post in order, each already within its platform's limits. */
export interface Rendered<M> {
  messages: M[];
  files: RenderedFile[];
}

export interface RenderResultOptions {
  /**
   * Largest file the platform accepts. Bigger files are re-rendered smaller or split into parts, with a
   * note in the reply. Defaults per platform (Discord 10 MiB; Slack and console have no practical cap).
   */
  maxFileBytes?: number;
  /**
   * The run whose answer this is: where the platform can, the answer carries 👍 / 👎 buttons naming it
   * (and nothing else). Without it, no feedback buttons.
   */
  feedbackRunId?: string;
  /**
   * The signed link to the run's live page (OCTO_PUBLIC_URL set): where the platform can, the answer
   * carries a "View run" link button. Without it, no button.
   */
  runUrl?: string;
}

/** A decision on an approval card, as the decided card shows it. */
export interface ApprovalDecided {
  decision: "approve" | "reject" | "edit";
  /** Platform user id of the person who decided. */
  by: string;
  /** ISO time of the decision. */
  at: string;
  edited_task?: string | undefined;
}

/** 👍 and 👎 given to answers. */
export interface RatingCounts {
  up: number;
  down: number;
}

/** A conversation's history as a command reply shows it (the delivery layer builds it from the service's). */
export interface HistoryView {
  title: string;
  status: string;
  turnCount: number;
  /** The latest turns, oldest first, each with its answer's ratings. */
  turns: { index: number; request: string; feedback: RatingCounts }[];
  pending: { step: number; agent: string }[];
  checkpoints: number;
  /** Every rating given in the conversation. */
  feedback: RatingCounts;
}

/**
 * Short replies outside a run: answers to chat commands (`/octo history` ...), the message a slash
 * command's request starts its thread with, and notes about what the platform refused. `command` is the
 * command's name as the platform shows it (`/octo`), for examples in the text.
 */
export type Notice =
  | { kind: "usage"; problem: "empty" | "unknown_format" | "bad_rewind"; detail: string; command: string }
  | { kind: "history"; history: HistoryView; command: string }
  | { kind: "no_conversation" }
  | { kind: "nothing_to_forget" }
  | { kind: "forgotten"; title: string }
  | { kind: "rewound"; turns: number; remaining: number }
  /** A sentence already worded for people (a described error). */
  | { kind: "failed"; message: string }
  | { kind: "not_in_channel" }
  /** The platform's permissions the bot lacks in this place, named as its settings name them. */
  | { kind: "missing_permissions"; permissions: string }
  /** A form could not be opened before the platform's window for it closed; clicking again helps. */
  | { kind: "form_unavailable" }
  /** The platform refused the files of an answer; `error` is its own code. */
  | { kind: "upload_failed"; error: string }
  | { kind: "request"; user: string; format: OutputFormat | undefined; request: string }
  /** A rating was recorded; `previous` is what the same person had said of that answer before. */
  | { kind: "feedback"; rating: Rating; previous: Rating | undefined };

/** The approval's task as the edit form shows it; the platform's form decides what fits. */
export interface EditForm {
  approvalId: string;
  step: number;
  agent: string;
  task: string;
}

/**
 * One step of a plan as a platform's native progress stream shows it (Slack's task cards), already
 * within that platform's limits. `id` stays the same for the step across updates, so each update
 * replaces the task it names.
 */
export interface StreamTask {
  id: string;
  title: string;
  status: "pending" | "in_progress" | "complete" | "error";
  details?: string;
  output?: string;
  /** Pages the step cited, with a link each. */
  sources?: { url: string; text: string }[];
}

/** What one write to a progress stream carries: a plan title, tasks that changed, answer text. */
export interface StreamUpdate {
  title?: string;
  tasks?: StreamTask[];
  /** Markdown appended after what the stream shows so far. */
  markdown?: string;
}

/** A finished run as a progress stream ends it: the answer text, then what follows the stream. */
export interface StreamedAnswer<M> {
  /** The stream's final tasks and the answer's opening, at most one stream write of text. */
  update: StreamUpdate;
  /** Shown at the end of the streamed message once it stops (summary, insights). */
  closing: M | undefined;
  /** The rest of a long answer and notes, posted after the stream as ordinary messages. */
  followUps: M[];
  files: RenderedFile[];
}

/**
 * What a platform with a native progress stream (Slack's plan of task cards) shows in it: the plan as
 * tasks from the progress state, and the answer. Pure, like the rest of the renderer.
 */
export interface StreamRenderer<M> {
  /** The plan's title and every step as a task. */
  progress(state: ProgressState, locale: Locale): { title: string; tasks: StreamTask[] };
  answer(
    state: ProgressState,
    result: RunResult,
    locale: Locale,
    options?: RenderResultOptions,
  ): Promise<StreamedAnswer<M>>;
}

/**
 * Everything a platform shows, from run events and results to its own messages (`M`) and files, each
 * within that platform's limits. Pure: the delivery layer sends what comes back through the platform's
 * sink. `renderers/<platform>/index.ts` exports one as `renderer`.
 */
export interface PlatformRenderer<M> {
  /** Present where the platform streams progress natively; the progress card is the fallback. */
  stream?: StreamRenderer<M>;
  progress(state: ProgressState, locale: Locale): M;
  approval(card: ApprovalCard, locale: Locale, decided?: ApprovalDecided): M;
  result(result: RunResult, locale: Locale, options?: RenderResultOptions): Promise<Rendered<M>>;
  error(event: RunEventOf<"error">, locale: Locale, options?: { retryId?: string | undefined }): M;
  help(locale: Locale, options?: { commandName?: string }): M;
  notice(notice: Notice, locale: Locale): M;
  /** The message without rich formatting, for a platform that refused the rich one; undefined if already plain. */
  plain(message: M): M | undefined;
  /**
   * A one-line status of what the run is doing, for a platform that shows one beside the thread (Slack's
   * assistant status); empty clears it.
   */
  status?(state: ProgressState, locale: Locale): string;
}

export type { Locale };

/** A platform's render functions, as each platform folder names them. */
export type RenderFunctions<M> = {
  [K in keyof Omit<PlatformRenderer<M>, "plain"> as `render${RenderName<K>}`]: PlatformRenderer<M>[K];
};
type RenderName<K> = K extends "approval" ? "ApprovalCard" : Capitalize<K & string>;

/** The renderer a platform's functions make; `plain` is the platform's fallback for refused rich messages. */
export function rendererOf<M>(
  fns: RenderFunctions<M>,
  plain: (message: M) => M | undefined,
): PlatformRenderer<M> {
  return {
    progress: (state, locale) => fns.renderProgress(state, locale),
    approval: (card, locale, decided) => fns.renderApprovalCard(card, locale, decided),
    result: (result, locale, options) => fns.renderResult(result, locale, options),
    error: (event, locale, options) => fns.renderError(event, locale, options),
    help: (locale, options) => fns.renderHelp(locale, options),
    notice: (notice, locale) => fns.renderNotice(notice, locale),
    plain,
  };
}
