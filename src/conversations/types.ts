import type { Locale, OutputFormat } from "../vocabulary/index.js";
import type { RunEvent } from "./events.js";
import type { ApprovalView, ConversationSession } from "./views.js";

export type { ApprovalStatus, ApprovalView, ConversationSession, SessionStatus } from "./views.js";

export const PLATFORMS = ["console", "slack", "discord", "http"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A file the user attached; adapters download it and pass text where they can. */
export interface Attachment {
  name: string;
  mimeType?: string | undefined;
  size?: number | undefined;
  /** Extracted text (plain text, CSV, JSON ...), when the adapter could read it. */
  text?: string | undefined;
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
  /** Platform user id of the person clicking; the request is sent again as its original requester. */
  by: string;
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

export interface TurnSummary {
  index: number;
  request: string;
  answer: string;
  format: OutputFormat;
  /** The checkpoint at the end of this turn (what `rewind` to this turn forks from). */
  checkpointId: string;
  at: string;
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
}

export type RewindTarget = { turns: number } | { checkpointId: string };

export interface RewindOutcome {
  threadKey: string;
  /** The new head checkpoint, forked from the target. */
  checkpointId: string;
  /** Completed turns remaining after the rewind. */
  turns: number;
}

/** A run a crash cut short, resumed from its last checkpoint when its platform starts again. */
export interface ResumedRun {
  threadKey: string;
  /** Who asked for it (the requester of the turn). */
  user: string;
  locale: Locale;
  events: EventStream;
}

/** The one service every adapter talks to. Methods never throw for bad user input: see `describeError`. */
export interface ConversationApi {
  send(input: SendInput): EventStream;
  decide(approvalId: string, input: DecideInput): EventStream;
  history(threadKey: string, page?: HistoryPage): Promise<ThreadHistory>;
  /** The thread's approvals waiting for a decision, in step order: one cheap read, outside the thread's queue. */
  pendingApprovals(threadKey: string): Promise<ApprovalView[]>;
  /** Throws an OctoError (`checkpoint_not_found`, `nothing_to_rewind`) for a target that does not exist. */
  rewind(threadKey: string, target: RewindTarget): Promise<RewindOutcome>;
  sessions(user: string): Promise<ConversationSession[]>;
  forget(threadKey: string): Promise<boolean>;
  approval(approvalId: string): Promise<ApprovalView | undefined>;
  /** Runs a failed request again (the `retry_id` of its error event); usable once. */
  retry(retryId: string, input: RetryInput): EventStream;
  /**
   * Resumes the platform's runs that a crash cut short (sessions still marked active), each from its last
   * checkpoint; an adapter calls it once it can deliver their events.
   */
  resumeInterrupted(platform: Platform): Promise<ResumedRun[]>;
  /** Locale a thread last used (for messages outside a run, e.g. command help); `en` when unknown. */
  localeOf(threadKey: string): Promise<Locale>;
  close(): Promise<void>;
}
