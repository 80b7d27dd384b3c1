import type { ZodError } from "zod";
import type { RunEventOf } from "../../../conversations/index.js";
import type { ErrorCode } from "../../../vocabulary/index.js";

/**
 * The API's error body, the same on every route: a stable code, a sentence for people, and for a bad
 * request the field it is about (`text`, `files.0.name`, `X-Octo-User` ...). Codes are the service's
 * error codes where it decided, else the API's own (`validation_failed`, `unauthorized` ...).
 */
export interface ApiErrorBody {
  error: string;
  message: string;
  field?: string;
  issues?: { field: string; message: string }[];
  retryable?: boolean;
  retry_id?: string;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 500 | 502 | 503 | 504;

/** An error the API answers with: its status and body. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = "ApiError";
  }
}

export function apiError(status: ErrorStatus, error: string, message: string, field?: string): ApiError {
  return new ApiError(status, { error, message, ...(field ? { field } : {}) });
}

export function notFound(what: string, id: string): ApiError {
  return apiError(404, "not_found", `No ${what} ${JSON.stringify(id)}.`);
}

/** What a failure the service reports (an error event) means over HTTP. */
const STATUS_OF: Record<ErrorCode, ErrorStatus> = {
  input_empty: 400,
  input_too_long: 400,
  format_unknown: 400,
  command_unknown: 400,
  checkpoint_not_found: 404,
  approval_unknown: 404,
  nothing_to_rewind: 409,
  thread_busy: 409,
  approval_not_pending: 409,
  approval_expired: 409,
  approval_pending: 409,
  approval_not_allowed: 403,
  retry_unavailable: 409,
  retry_not_allowed: 403,
  feedback_unavailable: 409,
  llm_aborted: 409,
  llm_invalid_output: 502,
  llm_timeout: 504,
  turn_timeout: 504,
  llm_unavailable: 503,
  llm_rate_limited: 503,
  store_locked: 503,
  store_unavailable: 503,
  restarting: 503,
  run_failed: 500,
  tool_failed: 500,
  internal: 500,
};

/** The request field a refusal is about, where one field is. */
const FIELD_OF: Partial<Record<ErrorCode, string>> = {
  input_empty: "text",
  input_too_long: "text",
  format_unknown: "format",
};

export function statusOf(code: ErrorCode): ErrorStatus {
  return STATUS_OF[code];
}

/** The request fields refusals are about, where a route's differ (a decision's text is `edited_task`). */
export type RefusalFields = Partial<Record<ErrorCode, string>>;

/** A run's error event as the API's error body, naming the request field a refusal is about. */
export function errorOfEvent(event: RunEventOf<"error">, fields: RefusalFields = {}): ApiError {
  const named = fields[event.kind] ?? FIELD_OF[event.kind];
  return new ApiError(STATUS_OF[event.kind], {
    error: event.kind,
    message: event.message,
    ...(named ? { field: named } : {}),
    retryable: event.retryable,
    ...(event.retry_id ? { retry_id: event.retry_id } : {}),
  });
}

/** A request that failed its schema: 400 naming the first field, with every issue listed. */
export function validationError(error: ZodError, target: string): ApiError {
  const issues = error.issues.map((issue) => ({
    field: fieldName(issue.path, target),
    message: issue.message,
  }));
  const first = issues[0] ?? { field: target, message: "invalid" };
  return new ApiError(400, {
    error: "validation_failed",
    message: `${first.field}: ${first.message}`,
    field: first.field,
    issues,
  });
}

/** `files.0.name` for a body's field; a header or query parameter by its own name. */
function fieldName(path: readonly PropertyKey[], target: string): string {
  const named = path.map(String).join(".");
  if (named) return target === "header" ? headerName(named) : named;
  return target === "json" ? "body" : target;
}

function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
