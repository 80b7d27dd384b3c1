import { type ErrorCode, errorMessage, isOctoError } from "../errors.js";
import { t } from "../i18n/index.js";
import type { Locale } from "../supervisor/types.js";

export interface DescribedError {
  kind: ErrorCode;
  message: string;
  retryable: boolean;
}

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  "llm_invalid_output",
  "llm_timeout",
  "llm_unavailable",
  "llm_rate_limited",
  "store_unavailable",
  "run_failed",
  "internal",
]);

/** The polite, localized sentence a person sees for an error; details stay in the log. */
export function describeError(error: unknown, locale: Locale): DescribedError {
  if (isOctoError(error)) {
    const params = { detail: shortDetail(error.message), ...error.params };
    return {
      kind: error.code,
      message: t(locale, `error.${error.code}`, params),
      retryable: RETRYABLE.has(error.code),
    };
  }
  return { kind: "internal", message: t(locale, "error.internal"), retryable: true };
}

function shortDetail(message: string): string {
  const firstLine = errorMessage(message).split("\n")[0] ?? "";
  return firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine;
}
