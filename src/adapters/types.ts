import type { Config } from "../config.js";
import type { DeliveryLedger } from "../conversations/ledger.js";
import type { ConversationApi } from "../conversations/types.js";
import type { Logger } from "../log.js";

/** A platform connection: translates its events into ConversationApi calls and run events back. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  /** Stops taking new work; in-flight runs keep their state in the store and resume after a restart. */
  stop(): Promise<void>;
}

export interface AdapterContext {
  config: Config;
  conversations: ConversationApi;
  /** What adapters record about deliveries (dedupe claims, which threads hold a conversation). */
  ledger: DeliveryLedger;
  logger: Logger;
}
