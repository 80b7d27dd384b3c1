import type { Locale } from "../vocabulary/index.js";
import type { Queryable } from "./database.js";

/** `expired`: nobody decided in time; `cancelled`: the conversation was rewound or forgotten past it. */
export const APPROVAL_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "edited",
  "expired",
  "cancelled",
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface ApprovalRecord {
  approvalId: string;
  threadId: string;
  runId: string;
  interruptId: string;
  stepId: number;
  agent: string;
  task: string;
  reason: string;
  requester: string;
  locale: Locale;
  status: ApprovalStatus;
  decidedBy: string | undefined;
  decidedAt: Date | undefined;
  editedTask: string | undefined;
  createdAt: Date;
  expiresAt: Date;
}

interface ApprovalRow {
  approval_id: string;
  thread_id: string;
  run_id: string;
  interrupt_id: string;
  step_id: number;
  agent: string;
  task: string;
  reason: string;
  requester: string;
  locale: Locale;
  status: ApprovalStatus;
  decided_by: string | null;
  decided_at: Date | null;
  edited_task: string | null;
  created_at: Date;
  expires_at: Date;
}

const COLUMNS =
  "approval_id, thread_id, run_id, interrupt_id, step_id, agent, task, reason, requester, locale, status, decided_by, decided_at, edited_task, created_at, expires_at";

function toRecord(row: ApprovalRow): ApprovalRecord {
  return {
    approvalId: row.approval_id,
    threadId: row.thread_id,
    runId: row.run_id,
    interruptId: row.interrupt_id,
    stepId: Number(row.step_id),
    agent: row.agent,
    task: row.task,
    reason: row.reason,
    requester: row.requester,
    locale: row.locale,
    status: row.status,
    decidedBy: row.decided_by ?? undefined,
    decidedAt: row.decided_at ? new Date(row.decided_at) : undefined,
    editedTask: row.edited_task ?? undefined,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
  };
}

export type NewApproval = Omit<
  ApprovalRecord,
  "status" | "decidedBy" | "decidedAt" | "editedTask" | "createdAt" | "expiresAt"
> & { ttlSeconds: number };

/** Approval requests, stored server side so buttons carry only the opaque id. */
export class ApprovalStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Records a pending approval. LangGraph re-emits still-pending interrupts on every resume, so a second
   * insert of the same id is a no-op and `created` tells the caller whether this one is new.
   */
  async create(approval: NewApproval): Promise<{ record: ApprovalRecord; created: boolean }> {
    const inserted = await this.db.query(
      `INSERT INTO octo_approvals
         (approval_id, thread_id, run_id, interrupt_id, step_id, agent, task, reason, requester, locale, status, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', now() + make_interval(secs => $11))
       ON CONFLICT (approval_id) DO NOTHING
       RETURNING approval_id`,
      [
        approval.approvalId,
        approval.threadId,
        approval.runId,
        approval.interruptId,
        approval.stepId,
        approval.agent,
        approval.task,
        approval.reason,
        approval.requester,
        approval.locale,
        approval.ttlSeconds,
      ],
    );
    return {
      record: (await this.get(approval.approvalId)) as ApprovalRecord,
      created: inserted.rowCount > 0,
    };
  }

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    const result = await this.db.query<ApprovalRow>(
      `SELECT ${COLUMNS} FROM octo_approvals WHERE approval_id = $1`,
      [approvalId],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : undefined;
  }

  async pending(threadId: string): Promise<ApprovalRecord[]> {
    const result = await this.db.query<ApprovalRow>(
      `SELECT ${COLUMNS} FROM octo_approvals WHERE thread_id = $1 AND status = 'pending' ORDER BY step_id`,
      [threadId],
    );
    return result.rows.map(toRecord);
  }

  /**
   * Moves a pending approval to its decided status. Atomic: of two concurrent decisions exactly one wins;
   * the loser gets undefined and must re-read the record to explain why.
   */
  async decide(
    approvalId: string,
    status: Exclude<ApprovalStatus, "pending">,
    by: string,
    editedTask?: string,
  ): Promise<ApprovalRecord | undefined> {
    const result = await this.db.query<ApprovalRow>(
      `UPDATE octo_approvals
          SET status = $2, decided_by = $3, decided_at = now(), edited_task = $4
        WHERE approval_id = $1 AND status = 'pending'
        RETURNING ${COLUMNS}`,
      [approvalId, status, by, editedTask ?? null],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : undefined;
  }

  /** Puts a decision back to pending when resuming the graph with it failed, so it can be retried. */
  async reopen(approvalId: string): Promise<ApprovalRecord | undefined> {
    const result = await this.db.query<ApprovalRow>(
      `UPDATE octo_approvals SET status = 'pending', decided_by = NULL, decided_at = NULL, edited_task = NULL
        WHERE approval_id = $1 RETURNING ${COLUMNS}`,
      [approvalId],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : undefined;
  }

  /** Closes every pending approval of a thread (rewind past it); returns the ones closed. */
  async cancelPending(threadId: string): Promise<ApprovalRecord[]> {
    const result = await this.db.query<ApprovalRow>(
      `UPDATE octo_approvals SET status = 'cancelled', decided_at = now()
        WHERE thread_id = $1 AND status = 'pending' RETURNING ${COLUMNS}`,
      [threadId],
    );
    return result.rows.map(toRecord);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.db.query("DELETE FROM octo_approvals WHERE thread_id = $1", [threadId]);
  }
}
