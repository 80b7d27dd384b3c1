import type { Locale, OutputFormat, Rating } from "../vocabulary/index.js";
import type { RunEvent } from "./events.js";
import type { ApprovalView, ConversationSession, RunSummary } from "./views.js";

export type {
  ApprovalStatus,
  ApprovalView,
  ConversationSession,
  RunState,
  RunSummary,
  SessionStatus,
} from "./views.js";

export const PLATFORMS = ["console", "slack", "discord", "http"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A file the user attached; adapters download it and pass text where they can. */
export interface Attachment {
  name: string;
  mimeType?: string | undefined;
  size?: number | undefined;
  /** Extracted text (plain text, CSV, JSON ...), when the adapter could read it. */
  text?: string | undefined;
  /**
   * The file's bytes, base64, for the binary tables the data agent reads (Parquet): base64 because the
   * request is kept as JSON (its job, its retry) until it runs.
   */
  data?: string | undefined;
  url?: string | undefined;
}

export interface SendInput {
  platform: Platform;
  /** `console:{name}` · `slack:{team}:{channel}:{thread_ts}` · `discord:{guild|@me}:{channel}:{thread}`. */
  threadKey: string;
  /** Platform user id of the person asking; the only one, with OCTO_APPROVERS, who may decide approvals. */
  user: string;
  text: string;
  /** Unknown strings are refused politely; undefined means the configured default. */
  format?: string | undefined;
  attachments?: Attachment[] | undefined;
  /**
   * A plain reply in a thread (no mention): people also talk to each other there, so a refusal that
   * changes nothing goes to the poster alone and the progress card waits until a run really starts.
   */
  quiet?: boolean | undefined;
  /**
   * The platform event's dedupe key: claimed in the same transaction that keeps the request, so a
   * redelivered event runs nothing and an accepted one is never lost.
   */
  claim?: { key: string; ttlSeconds: number } | undefined;
  /**
   * A message already in the thread (the platform's id) that is to show this turn's progress instead of
   * a new card (Discord: a slash command's deferred reply). Kept with the job, so whichever process runs
   * it edits that message.
   */
  progressCard?: string | undefined;
}

export interface DecideInput {
  decision: "approve" | "reject" | "edit";
  editedTask?: string | undefined;
  /** Platform user id of the person deciding. */
  by: string;
  /**
   * An entry of OCTO_APPROVERS that is a group on the platform (e.g. a Slack user group) which the adapter
   * has checked `by` belongs to. The service cannot resolve platform groups; it trusts its adapters.
   */
  approvedVia?: string | undefined;
  /** The thread the decision was made in, naming the refusal's thread when the approval is unknown. */
  threadKey?: string | undefined;
}

export interface RetryInput {
  /**
   * Platform user id of the person clicking: the request's requester or an OCTO_APPROVERS entry (anyone
   * else is refused and the retry stays usable). It is sent again as its original requester.
   */
  by: string;
  /** An OCTO_APPROVERS group the adapter checked `by` belongs to (see DecideInput.approvedVia). */
  approvedVia?: string | undefined;
  /** The clicker's language, for a refusal (the request's own language is used once it runs). */
  locale?: Locale | undefined;
  /** The thread the click came from, naming the refusal's thread when the retry is unknown. */
  threadKey?: string | undefined;
}

/** Events of one run, in order; the iteration ends when the run finishes, pauses for approval or fails. */
export type EventStream = AsyncIterable<RunEvent>;

export interface CheckpointSummary {
  checkpointId: string;
  createdAt: string;
  /** LangGraph superstep; -1 for a turn's input checkpoint. */
  step: number;
  /** Nodes that would run next; empty at the end of a turn. */
  next: string[];
  /** The node that wrote this checkpoint, when known. */
  writer: string | undefined;
  /** Completed turns in the conversation at this checkpoint. */
  turns: number;
}

/** 👍 and 👎 given to answers. */
export interface FeedbackCounts {
  up: number;
  down: number;
}

export interface TurnSummary {
  index: number;
  /** The run that answered this turn: what its answer's feedback buttons name. */
  runId: string;
  request: string;
  answer: string;
  format: OutputFormat;
  /** The checkpoint at the end of this turn (what `rewind` to this turn forks from). */
  checkpointId: string;
  at: string;
  /** Ratings of this turn's answer. */
  feedback: FeedbackCounts;
}

/** Which part of a long conversation `history` returns; the newest turns by default. */
export interface HistoryPage {
  /** Turns on the page (default 20, at most 200); 0 for none (just the counts). */
  limit?: number | undefined;
  /** Only turns numbered below this: the `olderBefore` of the page shown before. */
  before?: number | undefined;
  /** Latest checkpoints listed (default 10, at most 100). */
  checkpoints?: number | undefined;
}

export interface ThreadHistory {
  threadKey: string;
  session: ConversationSession | undefined;
  /** The page's turns, oldest first. */
  turns: TurnSummary[];
  /** Completed turns of the conversation as it stands, on this page or not. */
  turnCount: number;
  /** `before` for the page of older turns; undefined when this page reaches the first turn. */
  olderBefore: number | undefined;
  /** The latest checkpoints of the conversation as it stands, newest first. */
  checkpoints: CheckpointSummary[];
  /** Checkpoints of the conversation as it stands, listed or not. */
  checkpointCount: number;
  pendingApprovals: ApprovalView[];
  /** Every rating given in the conversation, including answers of turns since rewound. */
  feedback: FeedbackCounts;
}

/** A person's 👍 or 👎 on the answer of one run (what a feedback button names). */
export interface RateInput {
  rating: Rating;
  /** Platform user id of the person rating. */
  by: string;
  /** The thread the answer is in. */
  threadKey: string;
  platform: Platform;
}

export interface RatingOutcome {
  rating: Rating;
  /** What the same person had said of this answer before; undefined for their first rating. */
  previous: Rating | undefined;
}

/** A conversation opened before its first message (the HTTP API's sessions). */
export interface NewSession {
  platform: Platform;
  threadKey: string;
  /** Who opened it: its requester, who may decide its approvals. */
  requester: string;
  title?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/**
 * What a client may change of a session. `status` only to mark an idle conversation `completed` or
 * `failed`; the service sets the others itself as runs go.
 */
export interface SessionChanges {
  title?: string | undefined;
  status?: "completed" | "failed" | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/** Which of a conversation's checkpoints `checkpoints` returns: the newest by default. */
export interface CheckpointQuery {
  /** Checkpoints on the page (default 20, at most 100). */
  limit?: number | undefined;
  /** Only checkpoints older than this one: the `olderBefore` of the page shown before. */
  before?: string | undefined;
}

export interface CheckpointPage {
  /** Newest first. */
  checkpoints: CheckpointSummary[];
  /** Checkpoints of the conversation as it stands, listed or not. */
  total: number;
  /** `before` for the next (older) page; undefined when this page reaches the first checkpoint. */
  olderBefore: string | undefined;
}

export type RewindTarget = { turns: number } | { checkpointId: string };

export interface RewindOutcome {
  threadKey: string;
  /** The new head checkpoint, forked from the target. */
  checkpointId: string;
  /** Completed turns remaining after the rewind. */
  turns: number;
}

/** One job's events on their way to the platform thread they belong to. */
export interface RunDelivery {
  platform: Platform;
  threadKey: string;
  runId: string;
  /** Who the run is for: private refusals go to them. */
  user: string;
  locale: Locale;
  kind: "turn" | "decision" | "expiry" | "resume";
  /** A plain thread reply's run: refusals that change nothing go to `user` alone. */
  quiet: boolean;
  /** The message the request named to show its progress (`SendInput.progressCard`), for a turn. */
  progressCard?: string | undefined;
  events: EventStream;
}

/** Puts a run's events into its thread; resolves once everything is posted (or given up on). */
export type Deliverer = (run: RunDelivery) => Promise<void>;

/**
 * How a caller takes a request's events. `follow` (the default) reads them from the returned stream:
 * for one process (the console, one-shot, tests), as the job then runs here. Platform adapters pass
 * `follow: false`: the stream then carries only what is known at once (a refusal, "queued"), and the
 * run's events reach the platform's deliverer on whichever process runs the job.
 */
export interface SubmitOptions {
  follow?: boolean | undefined;
  /**
   * Called once the request is settled at intake: kept as a job (committed), refused, or a duplicate.
   * A platform acknowledges its event then, not before and not later.
   */
  onKept?: (() => void) | undefined;
  /**
   * Called with the id of the run the request goes on with once its job is kept (a new turn's run, or
   * the paused run a decision resumes), before any of its events: what `followRun` follows. Not called
   * for a refusal or a duplicate.
   */
  onRun?: ((runId: string) => void) | undefined;
}

/** One event of the run event log. */
export interface LoggedRunEvent {
  /** `{runId}:{seq}` (see `runEventId`): what an SSE stream sends as `id:` and takes back as `Last-Event-ID`. */
  id: string;
  runId: string;
  threadKey: string;
  /** 1, 2, 3 ... within the run, gapless, in the order the events happened. */
  seq: number;
  event: RunEvent;
}

export interface RunEventsQuery {
  /** Only events after this seq (0, the default, for all). */
  after?: number | undefined;
  /** At most this many (default and cap 500). */
  limit?: number | undefined;
}

export interface FollowOptions {
  /** Start after this seq (a client resuming a stream); 0 for the whole run. */
  after?: number | undefined;
  /** Stops following (a client that went away, a deadline). */
  signal?: AbortSignal | undefined;
}

/** The one service every adapter talks to. Methods never throw for bad user input: see `describeError`. */
export interface ConversationApi {
  send(input: SendInput, options?: SubmitOptions): EventStream;
  decide(approvalId: string, input: DecideInput, options?: SubmitOptions): EventStream;
  history(threadKey: string, page?: HistoryPage): Promise<ThreadHistory>;
  /** The thread's approvals waiting for a decision, in step order: one cheap read, outside the thread's queue. */
  pendingApprovals(threadKey: string): Promise<ApprovalView[]>;
  /**
   * Throws an OctoError: `checkpoint_not_found` or `nothing_to_rewind` for a target that does not exist,
   * `thread_busy` while the thread has work queued or running on any process.
   */
  rewind(threadKey: string, target: RewindTarget): Promise<RewindOutcome>;
  /** The user's sessions, most recent first (at most `limit`, default 50); only `platform`'s when given. */
  sessions(
    user: string,
    options?: { platform?: Platform | undefined; limit?: number | undefined },
  ): Promise<ConversationSession[]>;
  /** The thread's session (its title, status, turns), or undefined when it holds no conversation. */
  session(threadKey: string): Promise<ConversationSession | undefined>;
  /** Opens a conversation before its first message; an existing one is returned as it is. */
  createSession(input: NewSession): Promise<ConversationSession>;
  /**
   * Changes a session's title, metadata or (idle) status; undefined when there is no such session.
   * Throws an OctoError `thread_busy` for a status change while its work is queued, running or waits
   * for a decision.
   */
  updateSession(threadKey: string, changes: SessionChanges): Promise<ConversationSession | undefined>;
  /** A page of the conversation's checkpoints, newest first (what `rewind` can fork from). */
  checkpoints(threadKey: string, query?: CheckpointQuery): Promise<CheckpointPage>;
  forget(threadKey: string): Promise<boolean>;
  approval(approvalId: string): Promise<ApprovalView | undefined>;
  /**
   * Records a rating of a run's answer, one per person and run (a second one changes the first).
   * Throws an OctoError: `feedback_unavailable` when the thread holds no conversation (forgotten).
   */
  rateRun(runId: string, input: RateInput): Promise<RatingOutcome>;
  /** Runs a failed request again (the `retry_id` of its error event); usable once. */
  retry(retryId: string, input: RetryInput, options?: SubmitOptions): EventStream;
  /** Where the platform's runs are reported when nobody follows them here; returns the detach. */
  deliverTo(platform: Platform, deliverer: Deliverer): () => void;
  /** Starts taking the queue's jobs, once the platforms' deliverers are attached. */
  start(): Promise<void>;
  /**
   * Resolves once the work submitted through this instance (or, given a thread, that thread's work) has
   * run and been delivered, wherever it ran.
   */
  idle(threadKey?: string): Promise<void>;
  /**
   * The run event log: every run's events in order, on every platform, whichever process ran them.
   * `runEvents` reads a page; `followRun` yields them and then each new one as it is written (on any
   * process), ending once the run rests (finished, failed, or paused for approval: no job of it waits or
   * runs) or `signal` aborts; `runs` lists a thread's runs, newest first.
   */
  runEvents(runId: string, query?: RunEventsQuery): Promise<LoggedRunEvent[]>;
  followRun(runId: string, options?: FollowOptions): AsyncIterable<LoggedRunEvent>;
  run(runId: string): Promise<RunSummary | undefined>;
  runs(threadKey: string, options?: { limit?: number | undefined }): Promise<RunSummary[]>;
  /** Locale a thread last used (for messages outside a run, e.g. command help); `en` when unknown. */
  localeOf(threadKey: string): Promise<Locale>;
  /** Suspends the runs in flight (they carry on elsewhere or after a restart) within `graceMs`. */
  close(graceMs?: number): Promise<void>;
}
