import type { Config } from "../config.js";
import { QuickJsSandbox } from "./sandbox/index.js";
import { DuckDbQuerier } from "./sql/index.js";

/**
 * The agents' model-free tools as this process offers them, from the configuration: the JavaScript
 * sandbox and SQL on attached files. Both start nothing until first used (the sandbox's thread, a
 * database per data step), so a process that never runs code or SQL pays nothing for them.
 */
export function openTools(config: Config) {
  const sandbox = new QuickJsSandbox({
    timeoutMs: config.OCTO_SANDBOX_TIMEOUT_MS,
    memoryBytes: config.OCTO_SANDBOX_MEMORY_MB * 1024 * 1024,
  });
  const sql = new DuckDbQuerier({ timeoutMs: config.OCTO_SQL_TIMEOUT_MS, maxRows: config.OCTO_SQL_MAX_ROWS });
  return {
    tools: { sandbox, sql },
    async close(): Promise<void> {
      await Promise.allSettled([sandbox.close(), sql.close()]);
    },
  };
}
