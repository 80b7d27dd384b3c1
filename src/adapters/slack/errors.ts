/** Slack's error code for a failed call (`channel_not_found`, `ratelimited` ...) or the SDK's own code. */
export function slackErrorCode(error: unknown): string {
  if (typeof error !== "object" || error === null) return "unknown";
  const data = (error as { data?: { error?: unknown } }).data;
  if (data && typeof data.error === "string") return data.error;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : "unknown";
}

export function isSlackError(error: unknown, ...codes: string[]): boolean {
  return codes.includes(slackErrorCode(error));
}
