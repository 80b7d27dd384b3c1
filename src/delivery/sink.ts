import type { EditForm, Locale, RenderedFile, StreamUpdate } from "../renderers/types.js";

/**
 * One conversation thread on a platform, as the delivery layer writes to it: the platform's API calls
 * and nothing else (what to send is the renderer's, when and in what order the delivery layer's).
 * Methods throw what the platform refused; capabilities a platform lacks are left out, as in vercel/chat's
 * adapters.
 */
export interface ThreadSink<M> {
  /** Posts into the thread; resolves with the message's id, for later edits. */
  post(message: M): Promise<string>;
  update(messageId: string, message: M): Promise<void>;
  /** Shows a message to `user` alone. Without it, refusals meant for one person go into the thread. */
  postPrivately?(user: string, message: M): Promise<void>;
  /** Uploads files into the thread, as one message where the platform allows. */
  upload?(files: readonly RenderedFile[]): Promise<void>;
  /**
   * Posts a message together with the files of the reply it names (Discord: attachments in the same
   * multipart request, so an embed can show its picture). A platform that has it gets each answer
   * message with the reply's files instead of a separate upload; `files` is the whole reply's list.
   */
  postWithFiles?(message: M, files: readonly RenderedFile[]): Promise<string>;
  /** Opens the approval's edit form, when the interaction that got this sink allows one (Slack: a trigger id). */
  openForm?(form: EditForm, locale: Locale): Promise<void>;
  /** Shows what the run is doing beside the thread (Slack's assistant status); empty clears it. */
  setStatus?(status: string): Promise<void>;
  /** Names the thread where the platform lists threads by name (Slack's assistant threads). */
  setTitle?(title: string): Promise<void>;
  /**
   * Opens the platform's native progress stream in the thread (Slack: chat.startStream), showing
   * `first`, for `user` (the person the run is for). Without it, or when it throws, progress is the
   * edited card. Throws StreamRefused when the platform will not stream here at all.
   */
  openProgressStream?(user: string, first: StreamUpdate): Promise<ProgressStream<M>>;
  /** A stream an earlier delivery of the run opened (by its message id), to carry on after a crash. */
  progressStream?(messageId: string): ProgressStream<M>;
}

/** A progress stream while it is open: each write is one platform call. */
export interface ProgressStream<M> {
  /** The streamed message's id, for the delivery record. */
  readonly messageId: string;
  append(update: StreamUpdate): Promise<void>;
  /** Ends the stream with a last update and, below everything streamed, the `closing` message. */
  stop(update: StreamUpdate, closing?: M): Promise<void>;
}

/**
 * The platform refuses to stream for this app or workspace (a missing scope, a feature not turned on,
 * an unknown method): the run goes on with the edited card, and so do later runs there.
 */
export class StreamRefused extends Error {
  readonly code = "stream_refused";

  constructor(
    /** The platform's own reason (`missing_scope` ...), for the log. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`the platform refused to stream: ${reason}`, options);
  }
}

export function isStreamRefused(error: unknown): error is StreamRefused {
  return (error as { code?: unknown } | null)?.code === "stream_refused";
}
