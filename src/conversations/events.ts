import { z } from "zod";
import { PlanStepSchema, RunResultSchema, SourceSchema, STEP_OUTCOMES } from "../supervisor/types.js";

/** What a result event carries and what a person decides: part of the contract adapters render. */
export type { ApprovalDecision, RunResult } from "../supervisor/types.js";
/** The result's schema, for adapters that describe the events they serve (the HTTP API's OpenAPI). */
export { RunResultSchema };

import { ERROR_CODES, LOCALES } from "../vocabulary/index.js";

/**
 * The event stream of a run: the one vocabulary every adapter (console, Slack, Discord, HTTP) renders.
 * Every event names its thread and run so an adapter can route it without other state.
 */
const base = {
  threadKey: z.string(),
  runId: z.string(),
  locale: z.enum(LOCALES),
  at: z.string(),
};

export const RUN_STATUSES = [
  "queued",
  "understanding",
  "planning",
  "replanning",
  "executing",
  "waiting_approval",
  "resuming",
  "aggregating",
  "generating",
  "done",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ApprovalCardSchema = z.object({
  approval_id: z.string(),
  step: z.number().int(),
  agent: z.string(),
  task: z.string(),
  reason: z.string(),
  requester: z.string(),
  expires_at: z.string(),
});
export type ApprovalCard = z.infer<typeof ApprovalCardSchema>;

export const RunEventSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("status"), status: z.enum(RUN_STATUSES), message: z.string() }),
  z.object({ ...base, type: z.literal("plan"), steps: z.array(PlanStepSchema), replan: z.boolean() }),
  z.object({
    ...base,
    type: z.literal("step_started"),
    step_id: z.number().int(),
    agent: z.string(),
    task: z.string(),
    attempt: z.number().int().positive(),
  }),
  z.object({
    ...base,
    type: z.literal("step_finished"),
    step_id: z.number().int(),
    agent: z.string(),
    status: z.enum(STEP_OUTCOMES),
    summary: z.string(),
    confidence: z.number(),
    ms: z.number(),
    error: z.string().optional(),
    /** What the step cited (web pages, documents), when its agent reported any. */
    sources: z.array(SourceSchema).optional(),
  }),
  z.object({ ...base, type: z.literal("approval_requested"), approval: ApprovalCardSchema }),
  z.object({
    ...base,
    type: z.literal("approval_decided"),
    approval_id: z.string(),
    step: z.number().int(),
    agent: z.string(),
    task: z.string(),
    decision: z.enum(["approve", "reject", "edit"]),
    by: z.string(),
    edited_task: z.string().optional(),
    /** The approval as its card showed it, so the card can be redrawn decided without a lookup. */
    approval: ApprovalCardSchema,
  }),
  /** A decision that could not take effect (its resume failed): the approval is pending again. */
  z.object({ ...base, type: z.literal("approval_reopened"), approval: ApprovalCardSchema }),
  z.object({ ...base, type: z.literal("result"), result: RunResultSchema }),
  z.object({
    ...base,
    type: z.literal("error"),
    kind: z.enum(ERROR_CODES),
    message: z.string(),
    retryable: z.boolean(),
    /** Present when the failed request can be tried again with `ConversationApi.retry`. */
    retry_id: z.string().optional(),
  }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;
