/**
 * Keys for `DeliveryLedger.claimEvent`. Snowflakes are unique across Discord, so a message's id alone
 * names it: a gateway RESUME replays MESSAGE_CREATE with the same id. An interaction is claimed by its
 * id, so a replayed INTERACTION_CREATE (or an HTTP retry) does its work once.
 */
export function messageClaimKey(messageId: string): string {
  return `discord:msg:${messageId}`;
}

export function interactionClaimKey(interactionId: string): string {
  return `discord:ix:${interactionId}`;
}

/** Replays come within the gateway's resume window (minutes); claims outlive it by far. */
export const CLAIM_TTL_SECONDS = 3 * 60 * 60;
