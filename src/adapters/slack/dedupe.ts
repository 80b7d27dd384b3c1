import type { SlackThread } from "./thread-key.js";

/**
 * Keys for `DeliveryLedger.claimEvent`. A person's message is claimed by its channel and ts rather than
 * by `event_id`: Slack retries (`X-Slack-Retry-Num`) repeat the event_id, but one message can also arrive
 * as two events (`app_mention` and `message.im`), and both must lead to one run.
 */
export function messageClaimKey(thread: SlackThread, ts: string): string {
  return `slack:msg:${thread.team}:${thread.channel}:${ts}`;
}

/** A slash command's trigger id is unique per invocation; Socket Mode may redeliver its envelope. */
export function commandClaimKey(triggerId: string): string {
  return `slack:cmd:${triggerId}`;
}

/**
 * Slack retries a delivery three times within about five minutes; Socket Mode redelivers unacknowledged
 * envelopes. Claims outlive both by a wide margin.
 */
export const CLAIM_TTL_SECONDS = 3 * 60 * 60;
