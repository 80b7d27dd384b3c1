import { z } from "@hono/zod-openapi";
import { RunEventSchema, RunResultSchema } from "../../../conversations/index.js";
import { MAX_ATTACHMENT_BYTES, MAX_DOWNLOADS } from "../../../delivery/index.js";
import { LOCALES, OUTPUT_FORMATS } from "../../../vocabulary/index.js";

/**
 * Every request and response of `/api/v1`, as zod schemas: the routes validate requests with them and
 * the OpenAPI document is generated from them. Field names are snake_case, as the seed's API had them.
 */

export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: "validation_failed" }),
    message: z.string(),
    field: z.string().optional().openapi({ description: "The request field the error is about." }),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    retryable: z.boolean().optional(),
    retry_id: z.string().optional(),
  })
  .openapi("Error");

const Metadata = z.record(z.string(), z.unknown());

export const SessionSchema = z
  .object({
    id: z.string().openapi({ example: "thread_5f0c2d3e9b8a4c1d8e7f6a5b4c3d2e1f" }),
    thread_key: z.string().openapi({ description: "The conversation's key: `http:{id}`." }),
    user: z.string().openapi({ description: "Who opened it (X-Octo-User)." }),
    title: z.string(),
    status: z.enum(["active", "waiting_human", "completed", "failed"]),
    locale: z.enum(LOCALES),
    format: z.enum(OUTPUT_FORMATS),
    turns: z.number().int(),
    metadata: Metadata,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Session");

export const NewSessionSchema = z
  .object({
    title: z.string().trim().max(200).optional(),
    metadata: Metadata.optional(),
  })
  .strict()
  .openapi("NewSession");

export const SessionChangesSchema = z
  .object({
    title: z.string().trim().max(200).optional(),
    status: z
      .enum(["completed", "failed"])
      .optional()
      .openapi({ description: "Only for an idle session; the service sets the other statuses itself." }),
    metadata: Metadata.optional(),
  })
  .strict()
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: "give at least one of title, status, metadata",
  })
  .openapi("SessionChanges");

const FileSchema = z
  .object({
    name: z.string().min(1).max(255),
    mime_type: z.string().max(255).optional(),
    text: z
      .string()
      .refine((text) => Buffer.byteLength(text, "utf8") <= MAX_ATTACHMENT_BYTES, {
        message: `at most ${MAX_ATTACHMENT_BYTES} bytes of text`,
      })
      .optional()
      .openapi({
        description: "The file's text (plain text, CSV, JSON, Markdown); without it, only its name.",
      }),
    data: z
      .base64()
      .refine((data) => Buffer.from(data, "base64").length <= MAX_ATTACHMENT_BYTES, {
        message: `at most ${MAX_ATTACHMENT_BYTES} bytes of data`,
      })
      .optional()
      .openapi({ description: "A binary table's bytes (Parquet), base64, for the data agent." }),
  })
  .strict()
  .refine((file) => file.text === undefined || file.data === undefined, {
    message: "give a file's text or its data, not both",
  });

/** A message's fields, shared with the WebSocket's `message`. */
export const MessageFields = {
  text: z.string().min(1).openapi({ example: "search for octopus facts and draft an NDA" }),
  format: z.enum(OUTPUT_FORMATS).optional().openapi({ description: "Default OCTO_DEFAULT_FORMAT." }),
  files: z.array(FileSchema).max(MAX_DOWNLOADS).optional(),
};

export const MessageSchema = z.object(MessageFields).strict().openapi("Message");

// Made before @hono/zod-openapi may have extended zod, so named with zod's own `meta` (`.openapi` may be missing).
export const RunEventJson = RunEventSchema.meta({ id: "RunEvent" });
const RunResultJson = RunResultSchema.meta({ id: "RunResult" });

export const ApprovalSchema = z
  .object({
    id: z.string(),
    session_id: z.string(),
    run_id: z.string(),
    step: z.number().int(),
    agent: z.string(),
    task: z.string(),
    reason: z.string(),
    requester: z.string(),
    status: z.enum(["pending", "approved", "rejected", "edited", "expired", "cancelled"]),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    edited_task: z.string().nullable(),
    created_at: z.string(),
    expires_at: z.string(),
  })
  .openapi("Approval");

/** A decision's fields, shared with the WebSocket's `decision`. */
export const DecisionFields = {
  decision: z.enum(["approve", "reject", "edit"]),
  edited_task: z
    .string()
    .optional()
    .openapi({ description: "Required for `edit`: the task to run instead." }),
};

/** An edit names the task to run instead. */
export const editNeedsTask: [
  (body: { decision: string; edited_task?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (body) => body.decision !== "edit" || (body.edited_task ?? "").trim().length > 0,
  { message: "required when decision is edit", path: ["edited_task"] },
];

export const DecisionSchema = z
  .object(DecisionFields)
  .strict()
  .refine(...editNeedsTask)
  .openapi("Decision");

export const RunOutcomeSchema = z
  .object({
    session_id: z.string(),
    run_id: z.string(),
    status: z.enum(["completed", "waiting_approval", "running", "failed"]),
    result: RunResultJson.optional(),
    approvals: z.array(ApprovalSchema).optional(),
    error: ErrorSchema.optional(),
    events_url: z
      .string()
      .openapi({ description: "The run's events (JSON, or SSE with Accept: text/event-stream)." }),
  })
  .openapi("RunOutcome");

export const CheckpointSchema = z
  .object({
    checkpoint_id: z.string(),
    created_at: z.string(),
    step: z.number().int(),
    next: z.array(z.string()),
    writer: z.string().nullable(),
    turns: z.number().int(),
  })
  .openapi("Checkpoint");

export const CheckpointPageSchema = z
  .object({
    checkpoints: z.array(CheckpointSchema),
    total: z.number().int(),
    next_before: z
      .string()
      .nullable()
      .openapi({ description: "`before` for the older page; null at the end." }),
  })
  .openapi("CheckpointPage");

export const RewindSchema = z
  .object({
    checkpoint_id: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Fork from this checkpoint." }),
    turns: z.number().int().min(1).optional().openapi({ description: "Go back this many turns." }),
  })
  .strict()
  .refine((target) => (target.checkpoint_id === undefined) !== (target.turns === undefined), {
    message: "give either checkpoint_id or turns",
  })
  .openapi("Rewind");

export const RewindOutcomeSchema = z
  .object({ checkpoint_id: z.string(), turns: z.number().int() })
  .openapi("RewindOutcome");

export const RunSchema = z
  .object({
    run_id: z.string(),
    state: z.enum(["queued", "running", "waiting_approval", "completed", "failed", "interrupted"]),
    live: z.boolean().openapi({ description: "A job of the run waits or runs: more events may come." }),
    last_seq: z.number().int(),
    started_at: z.string(),
    updated_at: z.string(),
    events_url: z.string(),
  })
  .openapi("Run");

export const LoggedEventSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: "`{run_id}:{seq}`, as SSE `id:` lines carry it.", example: "run_1:3" }),
    seq: z.number().int(),
    event: RunEventJson,
  })
  .openapi("LoggedEvent");

export const SessionParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const PrincipalHeader = z.object({
  "x-octo-user": z
    .string()
    .min(1)
    .max(128)
    .regex(/^[^\p{Cc}]+$/u, "no control characters")
    .optional()
    .openapi({ description: "The person the client acts for (default `api`)." }),
});
