/**
 * Why a page could not be read. Every refusal and failure of the fetcher carries one of these codes and
 * the facts a person needs to understand it (`params`), so the agent can say which URL failed and why in
 * the request's language without parsing messages.
 */
export const WEB_FAILURES = [
  "invalid_url",
  "unsupported_scheme",
  "credentials_in_url",
  "refused_address",
  "dns_failed",
  "robots_disallowed",
  "too_many_redirects",
  "http_status",
  "content_type",
  "too_large",
  "timeout",
  "network",
  "aborted",
] as const;
export type WebFailure = (typeof WEB_FAILURES)[number];

export class WebFetchError extends Error {
  readonly code: WebFailure;
  readonly url: string;
  readonly params: Record<string, string | number>;

  constructor(
    code: WebFailure,
    url: string,
    message: string,
    options: { params?: Record<string, string | number>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WebFetchError";
    this.code = code;
    this.url = url;
    this.params = options.params ?? {};
  }
}

export function isWebFetchError(error: unknown, code?: WebFailure): error is WebFetchError {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  if (candidate.name !== "WebFetchError" || typeof candidate.code !== "string") return false;
  return code === undefined || candidate.code === code;
}
