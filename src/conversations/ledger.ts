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
  /**
   * What a run already put into its thread (item -> the platform's message id): the progress card,
   * approval cards, the answer. A run carried on by another process edits the same card and posts
   * nothing twice.
   */
  delivered(runId: string): Promise<Map<string, string>>;
  recordDelivery(runId: string, threadKey: string, item: string, messageId: string): Promise<void>;
  /** True for the one process that may post `item` of the run; the others adopt what it posted. */
  claimDelivery(runId: string, threadKey: string, item: string): Promise<boolean>;
}

export function storeLedger(
  store: Pick<Store, "sessions" | "processedEvents" | "deliveries">,
): DeliveryLedger {
  return {
    claimEvent: (key, ttlSeconds) => store.processedEvents.claim(key, ttlSeconds),
    hasConversation: async (threadKey) => (await store.sessions.get(threadKey)) !== undefined,
    delivered: (runId) => store.deliveries.of(runId),
    recordDelivery: (runId, threadKey, item, messageId) =>
      store.deliveries.record(runId, threadKey, item, messageId),
    claimDelivery: (runId, threadKey, item) => store.deliveries.claim(runId, threadKey, item),
  };
}
