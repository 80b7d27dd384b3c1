import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../log.js";

/**
 * Bolt and the Slack SDK log through our pino logger, so their lines get the same secret scrubbing.
 * Their debug output includes whole payloads, so it goes to pino's trace level.
 */
export function boltLogger(log: Logger): BoltLogger {
  let current = log;
  const line = (parts: unknown[]) =>
    parts.map((part) => (typeof part === "string" ? part : safeJson(part))).join(" ");
  return {
    debug: (...parts: unknown[]) => current.trace(line(parts)),
    info: (...parts: unknown[]) => current.info(line(parts)),
    warn: (...parts: unknown[]) => current.warn(line(parts)),
    error: (...parts: unknown[]) => current.error(line(parts)),
    setLevel: () => {
      // The level is OCTO_LOG_LEVEL's; Bolt may not change it.
    },
    getLevel: () => {
      if (current.isLevelEnabled("trace")) return LogLevel.DEBUG;
      if (current.isLevelEnabled("info")) return LogLevel.INFO;
      if (current.isLevelEnabled("warn")) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: (name: string) => {
      current = log.child({ sdk: name });
    },
  };
}

function safeJson(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
