import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pino, { type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: string;
  /** Write JSON lines to this file instead of stdout (the console adapter keeps stdout for people). */
  file?: string | undefined;
  /** Exact values (tokens, keys, passwords) to blank out wherever they appear, raw or percent-encoded. */
  secrets?: readonly string[];
  /** Where lines go when no file is given (tests capture them); stdout by default. */
  destination?: pino.DestinationStream | undefined;
}

const REDACTED = "[redacted]";

/** Fields whose value is a credential whatever it looks like, at any depth. */
const SECRET_KEYS =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-slack-signature|password|passwd|token|access_token|refresh_token|bot_token|app_token|api_?key|secret|signing_?secret|client_?secret|link_?secret)$/i;

/**
 * Credential shapes that must never be logged even when they are not ours (a user pasting one): Slack
 * and OpenAI tokens, three-part tokens (Discord bot tokens, JWTs), Authorization header values, the
 * password of any URL (postgres://u:p%40ss@h/db), `password=` settings, and the token in Discord
 * webhook and interaction URLs.
 */
const TOKEN_PATTERNS: readonly [RegExp, string][] = [
  [/\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{8,}/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{20,}/g, REDACTED],
  [/\b(Bearer|Bot|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/gi, `$1 ${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#@]+@/gi, `$1${REDACTED}@`],
  [/\b(password\s*=\s*)[^\s&;'"]+/gi, `$1${REDACTED}`],
  [/(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9_.:-]{16,}/g, `$1${REDACTED}`],
];

/**
 * The forms a secret may take in a log line: as is, percent-encoded (a URL, a form body) in either hex
 * case, and URI-encoded. Longest first, so a form containing another is replaced whole.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    const encoded = encodeURIComponent(secret);
    for (const form of [
      secret,
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      encodeURI(secret),
    ])
      forms.add(form);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` without token shapes and without any of `forms` (see secretForms). */
export function scrub(text: string, forms: readonly string[]): string {
  let out = text;
  for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

/**
 * Past this depth a value is dropped, never written unscrubbed; deeper than any log line needs, and
 * shallow enough that a cyclic or hostile structure cannot exhaust the stack.
 */
const MAX_DEPTH = 64;

/**
 * A copy of `value` that JSON can carry, with every string scrubbed and every credential field blanked,
 * at every depth. Errors keep their type, message, stack, code, every own field their library gives
 * them (Slack's `data`, discord.js's `rawError`, `status`, `method`, `url`; OctoError's `retryable`
 * and `params`) and their `cause` chain.
 */
export function scrubDeep(value: unknown, forms: readonly string[]): unknown {
  return copy(value, forms, new Set(), 0);
}

function copy(value: unknown, forms: readonly string[], path: Set<object>, depth: number): unknown {
  if (typeof value === "string") return scrub(value, forms);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) return "[too deep]";
  if (path.has(value)) return "[circular]";
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  path.add(value);
  try {
    const inner = (item: unknown) => copy(item, forms, path, depth + 1);
    if (Array.isArray(value)) return value.map(inner);
    if (value instanceof Map)
      return copyEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        inner,
      );
    if (value instanceof Set) return [...value].map(inner);
    if (value instanceof Error) return copyError(value, inner);
    return copyEntries(Object.entries(value), inner);
  } finally {
    path.delete(value);
  }
}

function copyEntries(
  entries: readonly [string, unknown][],
  inner: (item: unknown) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries)
    out[key] = SECRET_KEYS.test(key) && item !== undefined && item !== null ? REDACTED : inner(item);
  return out;
}

function copyError(error: Error, inner: (item: unknown) => unknown): Record<string, unknown> {
  const fields = Object.entries(error).filter(([key]) => key !== "cause" && key !== "stack");
  const out: Record<string, unknown> = {
    type: error.name || error.constructor?.name || "Error",
    message: inner(error.message),
    stack: inner(error.stack ?? ""),
    ...copyEntries(fields, inner),
  };
  if (error.cause !== undefined) out.cause = inner(error.cause);
  if (error instanceof AggregateError) out.errors = inner(error.errors);
  return out;
}

/** Fields every line written inside `withLogFields` carries (a run's id and thread key). */
const logFields = new AsyncLocalStorage<Record<string, string>>();

/**
 * Runs `work` so that every log line written while it runs, by any module and any logger made by
 * createLogger, carries `fields`: a run's lines, down to the model calls and tools, name their run.
 */
export function withLogFields<T>(fields: Record<string, string>, work: () => T): T {
  return logFields.run({ ...logFields.getStore(), ...fields }, work);
}

/** Structured JSON logs (pino) with secrets removed by field name and by value, at every depth. */
export function createLogger(options: LoggerOptions): Logger {
  const forms = secretForms(options.secrets ?? []);
  let destination = options.destination;
  if (options.file) {
    mkdirSync(path.dirname(options.file), { recursive: true });
    destination = pino.destination({ dest: options.file, sync: false, mkdir: true });
  }
  return pino(
    {
      level: options.level,
      base: { app: "octostrator" },
      // The line's own fields win over the run's, as a child logger's would.
      mixin: () => logFields.getStore() ?? {},
      formatters: {
        log: (object) => scrubDeep(object, forms) as Record<string, unknown>,
        bindings: (bindings) => scrubDeep(bindings, forms) as Record<string, unknown>,
      },
      // The log formatter has serialized errors already (and run before serializers); pino's own err
      // serializer would make them {type: "Object"} again and drop their causes.
      serializers: { err: (value: unknown) => value },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // An error alone is the line's `err`, as pino has it; the formatter scrubs the merging object,
          // the message and its interpolation arguments are scrubbed here.
          const head =
            first instanceof Error
              ? { err: first }
              : typeof first === "object"
                ? first
                : scrubDeep(first, forms);
          method.apply(this, [head, ...rest.map((arg) => scrubDeep(arg, forms))] as Parameters<
            typeof method
          >);
        },
      },
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
      if (!current.isLevelEnabled(level)) return;
      const text = parts.map((part) => (typeof part === "string" ? part : safeJson(part))).join(" ");
      // An SDK's error (Slack's `data`, discord.js's `rawError`) is kept whole as the line's `err`.
      const error = parts.find((part) => part instanceof Error);
      if (error) current[level]({ err: error }, text);
      else current[level](text);
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
