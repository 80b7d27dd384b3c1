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
  // Serializing the SDK's arguments is skipped when the level is off: its debug lines carry whole payloads.
  const at =
    (level: "trace" | "info" | "warn" | "error") =>
    (...parts: unknown[]) => {
      if (current.isLevelEnabled(level)) current[level](line(parts));
    };
  return {
    debug: at("trace"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
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
