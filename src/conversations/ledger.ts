import type { Store } from "../store/index.js";

/**
 * What adapters record about deliveries, apart from conversations themselves: which platform events
 * were already handled (atomic, in the store, so it holds across replicas) and whether a thread holds
 * a conversation a plain reply may continue.
 */
export interface DeliveryLedger {
  /** True the first time `key` is seen (within `ttlSeconds`); false for every redelivery. */
  claimEvent(key: string, ttlSeconds?: number): Promise<boolean>;
  hasConversation(threadKey: string): Promise<boolean>;
}

export function storeLedger(store: Pick<Store, "sessions" | "processedEvents">): DeliveryLedger {
  return {
    claimEvent: (key, ttlSeconds) => store.processedEvents.claim(key, ttlSeconds),
    hasConversation: async (threadKey) => (await store.sessions.get(threadKey)) !== undefined,
  };
}
