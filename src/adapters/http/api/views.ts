import type { z } from "@hono/zod-openapi";
import type {
  ApprovalView,
  CheckpointSummary,
  ConversationSession,
  LoggedRunEvent,
  RunSummary,
} from "../../../conversations/index.js";
import type {
  ApprovalSchema,
  CheckpointSchema,
  LoggedEventSchema,
  RunSchema,
  SessionSchema,
} from "./schemas.js";

/** The API's sessions are conversations of the `http` platform: `http:{session id}`. */
export const THREAD_PREFIX = "http:";
export const API_BASE = "/api/v1";

export function threadKeyOf(sessionId: string): string {
  return `${THREAD_PREFIX}${sessionId}`;
}

export function sessionIdOf(threadKey: string): string {
  return threadKey.startsWith(THREAD_PREFIX) ? threadKey.slice(THREAD_PREFIX.length) : threadKey;
}

export function eventsUrl(sessionId: string, runId: string): string {
  return `${API_BASE}/sessions/${encodeURIComponent(sessionId)}/runs/${encodeURIComponent(runId)}/events`;
}

export function sessionJson(session: ConversationSession): z.infer<typeof SessionSchema> {
  return {
    id: sessionIdOf(session.threadKey),
    thread_key: session.threadKey,
    user: session.requester,
    title: session.title,
    status: session.status,
    locale: session.locale,
    format: session.format,
    turns: session.turns,
    metadata: session.metadata,
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
  };
}

export function approvalJson(approval: ApprovalView): z.infer<typeof ApprovalSchema> {
  return {
    id: approval.approvalId,
    session_id: sessionIdOf(approval.threadKey),
    run_id: approval.runId,
    step: approval.stepId,
    agent: approval.agent,
    task: approval.task,
    reason: approval.reason,
    requester: approval.requester,
    status: approval.status,
    decided_by: approval.decidedBy ?? null,
    decided_at: approval.decidedAt?.toISOString() ?? null,
    edited_task: approval.editedTask ?? null,
    created_at: approval.createdAt.toISOString(),
    expires_at: approval.expiresAt.toISOString(),
  };
}

export function checkpointJson(checkpoint: CheckpointSummary): z.infer<typeof CheckpointSchema> {
  return {
    checkpoint_id: checkpoint.checkpointId,
    created_at: checkpoint.createdAt,
    step: checkpoint.step,
    next: checkpoint.next,
    writer: checkpoint.writer ?? null,
    turns: checkpoint.turns,
  };
}

export function runJson(run: RunSummary): z.infer<typeof RunSchema> {
  return {
    run_id: run.runId,
    state: run.state,
    live: run.live,
    last_seq: run.lastSeq,
    started_at: run.startedAt.toISOString(),
    updated_at: run.updatedAt.toISOString(),
    events_url: eventsUrl(sessionIdOf(run.threadKey), run.runId),
  };
}

export function loggedJson(logged: LoggedRunEvent): z.infer<typeof LoggedEventSchema> {
  return { id: logged.id, seq: logged.seq, event: logged.event };
}
