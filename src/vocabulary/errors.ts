/**
 * Errors that cross module boundaries carry a stable `code`; callers test them with `isOctoError`
 * rather than `instanceof`, which breaks across duplicated packages and worker boundaries.
 */
export const ERROR_CODES = [
  "input_empty",
  "input_too_long",
  "format_unknown",
  "command_unknown",
  "checkpoint_not_found",
  "nothing_to_rewind",
  "thread_busy",
  "approval_unknown",
  "approval_not_pending",
  "approval_not_allowed",
  "approval_expired",
  "approval_pending",
  "retry_unavailable",
  "retry_not_allowed",
  "feedback_unavailable",
  "llm_invalid_output",
  "llm_timeout",
  "llm_unavailable",
  "llm_rate_limited",
  "llm_aborted",
  "turn_timeout",
  /** A tool refused or failed what the step asked (a sandboxed run that looped, SQL that writes ...). */
  "tool_failed",
  "store_locked",
  "store_unavailable",
  "run_failed",
  "restarting",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes where another attempt may help, used when the thrower does not say. The thrower knows better
 * when it can (a 401 from the model is `llm_unavailable` yet no retry can fix it), so its flag wins.
 */
const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set([
  "llm_invalid_output",
  "llm_timeout",
  "llm_unavailable",
  "llm_rate_limited",
  "turn_timeout",
  "store_unavailable",
  "run_failed",
  "internal",
]);

export class OctoError extends Error {
  readonly code: ErrorCode;
  /** Safe to show a user; the message itself may carry detail meant for logs only. */
  readonly params: Record<string, string | number>;
  /** Whether trying the same request again may succeed; the one source adapters' retry offers follow. */
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; params?: Record<string, string | number>; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OctoError";
    this.code = code;
    this.params = options.params ?? {};
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
  }
}

export function isOctoError(error: unknown, code?: ErrorCode): error is OctoError {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  if (candidate.name !== "OctoError" || typeof candidate.code !== "string") return false;
  return code === undefined || candidate.code === code;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : JSON.stringify(error);
}
