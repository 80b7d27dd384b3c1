import type { ApprovalRecord, RunRecord, SessionRecord } from "../store/index.js";
import type { Locale, OutputFormat } from "../vocabulary/index.js";

/**
 * What the conversation service shows of its sessions and approvals. Its own shapes, not the store's
 * rows: adapters depend on these, so a column can change without touching a platform.
 */
export type SessionStatus = "active" | "waiting_human" | "completed" | "failed";

export interface ConversationSession {
  threadKey: string;
  platform: string;
  requester: string;
  status: SessionStatus;
  title: string;
  locale: Locale;
  format: OutputFormat;
  /** Completed turns. */
  turns: number;
  /** What the client that opened the session attached (HTTP API sessions); `{}` otherwise. */
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** `expired`: nobody decided in time; `cancelled`: the conversation was rewound or forgotten past it. */
export type ApprovalStatus = "pending" | "approved" | "rejected" | "edited" | "expired" | "cancelled";

export interface ApprovalView {
  approvalId: string;
  threadKey: string;
  /** The run the step belongs to: a decision resumes it. */
  runId: string;
  stepId: number;
  agent: string;
  task: string;
  reason: string;
  requester: string;
  /**
   * Who may decide besides the requester: OCTO_APPROVERS entries (people, or platform groups whose
   * members the adapter vouches for with `approvedVia`).
   */
  approvers: readonly string[];
  locale: Locale;
  status: ApprovalStatus;
  decidedBy: string | undefined;
  decidedAt: Date | undefined;
  editedTask: string | undefined;
  createdAt: Date;
  expiresAt: Date;
}

export function sessionViewOf(record: SessionRecord): ConversationSession {
  return {
    threadKey: record.threadId,
    platform: record.platform,
    requester: record.requester,
    status: record.status,
    title: record.title,
    locale: record.locale,
    format: record.format,
    turns: record.turns,
    metadata: record.metadata,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function approvalViewOf(record: ApprovalRecord, approvers: readonly string[]): ApprovalView {
  return {
    approvalId: record.approvalId,
    threadKey: record.threadId,
    runId: record.runId,
    stepId: record.stepId,
    agent: record.agent,
    task: record.task,
    reason: record.reason,
    requester: record.requester,
    approvers,
    locale: record.locale,
    status: record.status,
    decidedBy: record.decidedBy,
    decidedAt: record.decidedAt,
    editedTask: record.editedTask,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
  };
}

/**
 * Where a run stands, from its latest logged event: `queued` before any, `interrupted` when a shutdown
 * cut it short (it carries on where its job runs next).
 */
export type RunState = RunRecord["state"];

/** One run of a thread, as the run event log knows it. */
export interface RunSummary {
  runId: string;
  threadKey: string;
  platform: string;
  state: RunState;
  /** True while a job of the run waits or runs (its turn, a decision, a run carried on): more events may come. */
  live: boolean;
  /** The seq of its latest event; 0 before the first. */
  lastSeq: number;
  startedAt: Date;
  updatedAt: Date;
}
