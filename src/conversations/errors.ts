import { t } from "../i18n/index.js";
import { clip, type ErrorCode, errorMessage, isOctoError, type Locale } from "../vocabulary/index.js";

export interface DescribedError {
  kind: ErrorCode;
  message: string;
  retryable: boolean;
}

/**
 * The polite, localized sentence a person sees for an error; details stay in the log. Whether a retry
 * can help is the error's own call (a 401 from the model cannot, a timeout may); an unexpected error
 * that is not ours may be transient, so it gets the benefit of the doubt.
 */
export function describeError(error: unknown, locale: Locale): DescribedError {
  if (isOctoError(error)) {
    const params = { detail: shortDetail(error.message), ...error.params };
    return {
      kind: error.code,
      message: t(locale, `error.${error.code}`, params),
      retryable: error.retryable,
    };
  }
  return { kind: "internal", message: t(locale, "error.internal"), retryable: true };
}

function shortDetail(message: string): string {
  const firstLine = errorMessage(message).split("\n")[0] ?? "";
  return clip(firstLine, 120);
}
