import { mkdirSync } from "node:fs";
import path from "node:path";
import pino, { type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: string;
  /** Write JSON lines to this file instead of stdout (the console adapter keeps stdout for people). */
  file?: string | undefined;
  /** Exact values (tokens, keys, passwords) to blank out wherever they appear. */
  secrets?: readonly string[];
}

const REDACT_PATHS = [
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "password",
  "*.password",
  "signingSecret",
  "*.signingSecret",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-slack-signature"]',
  "*.headers.cookie",
];

/** Token shapes that must never be logged even when they are not ours (a user pasting one). */
const TOKEN_PATTERN = /\b(xox[abposr]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|sk-[A-Za-z0-9_-]{16,})/g;

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(TOKEN_PATTERN, "[redacted]");
  for (const secret of secrets)
    if (secret && out.includes(secret)) out = out.split(secret).join("[redacted]");
  return out;
}

function scrubDeep(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return scrub(value, secrets);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrub(value.message, secrets),
      stack: scrub(value.stack ?? "", secrets),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubDeep(item, secrets, depth + 1);
  return out;
}

/** Structured JSON logs (pino) with secrets removed by path and by value. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  let destination: pino.DestinationStream | undefined;
  if (options.file) {
    mkdirSync(path.dirname(options.file), { recursive: true });
    destination = pino.destination({ dest: options.file, sync: false, mkdir: true });
  }
  return pino(
    {
      level: options.level,
      base: { app: "octostrator" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: { log: (object) => scrubDeep(object, secrets) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === "string" ? scrub(arg, secrets) : arg)) as Parameters<
              typeof method
            >,
          );
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

type SdkLevel = "trace" | "info" | "warn" | "error";

/** A platform SDK's logger on ours (console-style arguments in, one line out), for its adapter to wrap. */
export interface SdkLog {
  debug(...parts: unknown[]): void;
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
  /** The most detailed level enabled, for SDKs that ask. */
  level(): SdkLevel;
  /** SDKs name their parts ("web-api", "socket-mode"); lines then carry that name. */
  rename(name: string): void;
}

/**
 * SDK lines go through pino so they get the same secret scrubbing. SDK debug output includes whole
 * payloads: it goes to trace, and its arguments are not even serialized while the level is off.
 */
export function sdkLog(log: Logger): SdkLog {
  let current = log;
  const at =
    (level: SdkLevel) =>
    (...parts: unknown[]) => {
      if (current.isLevelEnabled(level))
        current[level](parts.map((part) => (typeof part === "string" ? part : safeJson(part))).join(" "));
    };
  const levels: SdkLevel[] = ["trace", "info", "warn"];
  return {
    debug: at("trace"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    level: () => levels.find((level) => current.isLevelEnabled(level)) ?? "error",
    rename: (name) => {
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
