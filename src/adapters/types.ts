import type { Config } from "../config.js";
import type { DeliveryLedger } from "../conversations/ledger.js";
import type { ConversationApi } from "../conversations/types.js";
import type { Logger } from "../log.js";
import type { MetricsRecorder } from "../metrics/index.js";
import type { HttpRoutes } from "./http/routes.js";

/** A platform connection: translates its events into ConversationApi calls and run events back. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  /** Stops taking new work; in-flight runs keep their state in the store and resume after a restart. */
  stop(): Promise<void>;
  /**
   * Whether the platform connection that brings this adapter its events is up now (Slack's Socket Mode
   * socket, Discord's gateway), for /readyz. Without it (HTTP-mode adapters: the platform calls us, and
   * the server itself answering is the proof) the adapter counts as up.
   */
  connection?(): ConnectionState;
}

/** A platform connection's state; `reason` says in one line why it is down. */
export interface ConnectionState {
  up: boolean;
  reason?: string | undefined;
}

export interface AdapterContext {
  config: Config;
  conversations: ConversationApi;
  /** What adapters record about deliveries (dedupe claims, which threads hold a conversation). */
  ledger: DeliveryLedger;
  logger: Logger;
  /**
   * The process's one HTTP server, where adapters mount their endpoints (Slack's events, Discord's
   * interactions). When it is given an adapter never listens itself; when it is not (tests, a library
   * user), an adapter that needs HTTP may open a server of its own.
   */
  http?: HttpRoutes;
  /** Where acknowledgement latency is counted; nothing is counted without it. */
  metrics?: MetricsRecorder;
}
