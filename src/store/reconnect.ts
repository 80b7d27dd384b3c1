import { setTimeout as sleep } from "node:timers/promises";

/** SQLSTATEs and socket codes of a connection the server or the network took away. */
const CONNECTION_LOST = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, a server restart
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
]);

export function isConnectionLost(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && CONNECTION_LOST.has(code)) return true;
  return (
    typeof message === "string" &&
    (message.includes("Connection terminated") ||
      message.includes("connection error and is not queryable") ||
      message.includes("terminating connection") ||
      // pg-pool gave up waiting for a connection: the server does not answer (down, unreachable).
      message.includes("timeout exceeded when trying to connect"))
  );
}

const BACKOFF_MS = [50, 250, 1_000] as const;

/**
 * Runs `work` again, on a fresh connection from the pool, when the one it used was lost (a Postgres
 * restart or failover, pg_terminate_backend), so a run in flight survives a reconnect. Only for work
 * that is safe to repeat: every statement we send is an upsert, a guarded update or a read.
 */
export async function withReconnect<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const delay = BACKOFF_MS[attempt];
      if (delay === undefined || !isConnectionLost(error)) throw error;
      await sleep(delay);
    }
  }
}
