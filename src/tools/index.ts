import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { KnowledgeStore } from "../store/index.js";
import { KnowledgeBase } from "./kb/index.js";
import { QuickJsSandbox } from "./sandbox/index.js";
import { DuckDbQuerier } from "./sql/index.js";
import { GuardedWebFetcher } from "./web/index.js";

/**
 * The agents' model-free tools as this process offers them, from the configuration: the guarded web
 * fetcher, the JavaScript sandbox, SQL on attached files and, given the store's chunks, the knowledge base. The sandbox and SQL start nothing until
 * first used (the sandbox's thread, a database per data step), so a process that never runs code or SQL
 * pays nothing for them.
 */
export function openTools(
  config: Config,
  options: { logger: Logger; userAgent: string; knowledge?: KnowledgeStore },
) {
  // Guarded: public addresses only, unless OCTO_WEB_ALLOW opens an intranet (README "Agents and tools").
  const fetch = new GuardedWebFetcher({
    allow: config.OCTO_WEB_ALLOW,
    maxBytes: config.OCTO_WEB_MAX_BYTES,
    timeoutMs: config.OCTO_WEB_TIMEOUT_MS,
    userAgent: options.userAgent,
    logger: options.logger,
  });
  const sandbox = new QuickJsSandbox({
    timeoutMs: config.OCTO_SANDBOX_TIMEOUT_MS,
    memoryBytes: config.OCTO_SANDBOX_MEMORY_MB * 1024 * 1024,
  });
  const sql = new DuckDbQuerier({ timeoutMs: config.OCTO_SQL_TIMEOUT_MS, maxRows: config.OCTO_SQL_MAX_ROWS });
  const kb = options.knowledge ? new KnowledgeBase(options.knowledge, { logger: options.logger }) : undefined;
  return {
    tools: { fetch, sandbox, sql, ...(kb ? { kb } : {}) },
    async close(): Promise<void> {
      const closed = await Promise.allSettled([fetch.close(), sandbox.close(), sql.close()]);
      for (const outcome of closed)
        if (outcome.status === "rejected")
          options.logger.error({ err: outcome.reason }, "a tool failed to close");
    },
  };
}
