import { errorMessage, isOctoError, OctoError } from "../vocabulary/index.js";

/**
 * Turns whatever a provider threw (OpenAI SDK errors, LangChain-wrapped ones, fetch/undici socket
 * errors, node-llama-cpp failures) into an OctoError, and says how long the server asked us to wait.
 * Works on shapes, not classes: LangChain re-wraps SDK errors and may load its own copy of the SDK.
 */
export interface ClassifiedFailure {
  error: OctoError;
  /** Worth another attempt (rate limit, 5xx, dropped connection). */
  transient: boolean;
  /** The server's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs: number | undefined;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export function classifyFailure(
  error: unknown,
  provider: string,
  now: number = Date.now(),
): ClassifiedFailure {
  if (isOctoError(error)) return { error, transient: false, retryAfterMs: undefined };
  const status = statusOf(error);
  const detail = `${provider}: ${errorMessage(error)}`;
  if (status === 429) {
    return {
      error: new OctoError("llm_rate_limited", detail, { cause: error, retryable: true }),
      transient: !isQuotaExhausted(error),
      retryAfterMs: retryAfterOf(error, now),
    };
  }
  if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
    return {
      error: new OctoError("llm_unavailable", detail, { cause: error, retryable: true }),
      transient: true,
      retryAfterMs: retryAfterOf(error, now),
    };
  }
  if (status !== undefined) {
    // 400 / 401 / 403 / 404 / 422: a configuration or request problem that a retry cannot fix.
    return {
      error: new OctoError("llm_unavailable", detail, { cause: error, retryable: false }),
      transient: false,
      retryAfterMs: undefined,
    };
  }
  if (isConnectionFailure(error)) {
    return {
      error: new OctoError("llm_unavailable", detail, { cause: error, retryable: true }),
      transient: true,
      retryAfterMs: undefined,
    };
  }
  return {
    error: new OctoError("llm_unavailable", detail, { cause: error, retryable: false }),
    transient: false,
    retryAfterMs: undefined,
  };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidate = error as { status?: unknown; response?: { status?: unknown } };
  if (typeof candidate.status === "number") return candidate.status;
  if (typeof candidate.response?.status === "number") return candidate.response.status;
  return undefined;
}

function isQuotaExhausted(error: unknown): boolean {
  const code = (error as { code?: unknown; error?: { code?: unknown } }).code;
  const nested = (error as { error?: { code?: unknown } }).error?.code;
  return code === "insufficient_quota" || nested === "insufficient_quota";
}

function isConnectionFailure(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { name?: unknown; code?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && CONNECTION_CODES.has(candidate.code)) return true;
    if (candidate.name === "APIConnectionError" || candidate.name === "FetchError") return true;
    if (candidate.name === "TypeError" && /fetch failed|terminated|socket/i.test(errorMessage(current)))
      return true;
    if (/connection error/i.test(errorMessage(current))) return true;
    current = candidate.cause;
  }
  return false;
}

/** `retry-after-ms` (OpenAI's extension) first, then `retry-after` in seconds or as an HTTP date. */
/** `now` is the caller's clock, so a Retry-After date is read against the same time the policy waits in. */
export function retryAfterOf(error: unknown, now: number = Date.now()): number | undefined {
  const headers = (error as { headers?: unknown }).headers;
  const read = (name: string): string | undefined => {
    if (!headers || typeof headers !== "object") return undefined;
    if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : undefined;
  };
  const ms = Number(read("retry-after-ms"));
  if (Number.isFinite(ms) && ms >= 0 && read("retry-after-ms") !== undefined) return ms;
  const raw = read("retry-after");
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
