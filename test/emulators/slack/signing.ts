import { createHmac } from "node:crypto";

/**
 * Slack's request signing (v0): HMAC-SHA256 over `v0:{timestamp}:{raw body}` keyed by the signing secret.
 * The emulator signs what it delivers so the app verifies it with its own, real code path.
 */
export function slackSignature(secret: string, timestampSeconds: number, rawBody: string): string {
  const digest = createHmac("sha256", secret).update(`v0:${timestampSeconds}:${rawBody}`).digest("hex");
  return `v0=${digest}`;
}

export interface SignedHeaders {
  "x-slack-request-timestamp": string;
  "x-slack-signature": string;
}

export function signedHeaders(secret: string, rawBody: string, nowMs = Date.now()): SignedHeaders {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(secret, timestamp, rawBody),
  };
}
