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
