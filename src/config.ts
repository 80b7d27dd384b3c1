import path from "node:path";
import { z } from "zod";
import { parseAllowEntry } from "./tools/web/address-guard.js";
import { clip, OUTPUT_FORMATS } from "./vocabulary/index.js";

/** Blank strings count as unset, so `FOO=` in a .env file never overrides a default. */
const optionalString = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.string().trim().optional(),
);

const csv = z.preprocess(
  (v) => (typeof v === "string" ? v : ""),
  z.string().transform((s) =>
    s
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  ),
);

function integer(name: string, fallback: number, min: number, max: number) {
  return z.preprocess(
    (v) => (v === undefined || (typeof v === "string" && v.trim() === "") ? fallback : Number(v)),
    z
      .number({ error: `${name} must be a whole number` })
      .int(`${name} must be a whole number`)
      .min(min, `${name} must be at least ${min}`)
      .max(max, `${name} must be at most ${max}`),
  );
}

function booleanFlag(fallback: boolean) {
  return z.preprocess(
    (v) => {
      if (v === undefined || (typeof v === "string" && v.trim() === "")) return fallback;
      if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (["1", "true", "yes", "on"].includes(s)) return true;
        if (["0", "false", "no", "off"].includes(s)) return false;
      }
      return v;
    },
    z.boolean({ error: "must be one of true, false, 1, 0, yes, no" }),
  );
}

/** A Discord id: a decimal snowflake. */
const snowflake = optionalString.refine(
  (s) => s === undefined || /^\d{15,21}$/.test(s),
  "must be a Discord id (digits)",
);

const url = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.url({ error: "must be a URL such as http://127.0.0.1:11434/v1" }).optional(),
);

export const LLM_PROVIDERS = ["openai", "local", "scripted"] as const;
/**
 * What a process does with a platform: `all` receives events and runs jobs; `intake` only receives
 * (acks stay fast, whatever runs elsewhere), `worker` only runs jobs and reports them.
 */
export const ROLES = ["all", "intake", "worker"] as const;
/** How Slack shows a run's progress: its native plan stream, the edited card, or the stream where Slack allows it. */
export const SLACK_PROGRESS = ["auto", "stream", "card"] as const;
/**
 * A run link is OCTO_PUBLIC_URL + `/runs/` + a token of about 200 characters; Discord's link buttons take
 * at most 512, so the base is held well under that.
 */
const MAX_PUBLIC_URL = 200;
/** HMAC-SHA256 keys shorter than its 32-byte output only weaken it. */
const MIN_LINK_SECRET = 32;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Every environment variable the program reads, in one place (README "Configuration" mirrors it). */
export const EnvSchema = z.object({
  OCTO_DATA_DIR: optionalString.default("./.octo"),
  POSTGRES_URL: optionalString,
  OCTO_PG_SCHEMA: optionalString
    .default("public")
    .refine((s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), "must be a lower-case SQL identifier"),
  OCTO_PG_POOL_MAX: integer("OCTO_PG_POOL_MAX", 10, 1, 200),

  OCTO_LLM: z.enum(LLM_PROVIDERS, { error: `must be one of ${LLM_PROVIDERS.join(", ")}` }).optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url,
  OCTO_MODEL: optionalString,
  OCTO_MODEL_PATH: optionalString,
  OCTO_LLM_TIMEOUT_MS: integer("OCTO_LLM_TIMEOUT_MS", 120_000, 1_000, 3_600_000),
  OCTO_LLM_MAX_RETRIES: integer("OCTO_LLM_MAX_RETRIES", 3, 0, 10),
  OCTO_LLM_CACHE_TTL: integer("OCTO_LLM_CACHE_TTL", 86_400, 0, 31_536_000),
  OCTO_LLM_SCRIPT: optionalString,
  OCTO_MODEL_URL: url,
  OCTO_LOCAL_CONTEXT: integer("OCTO_LOCAL_CONTEXT", 4096, 512, 131_072),
  OCTO_LOCAL_PARALLEL: integer("OCTO_LOCAL_PARALLEL", 2, 1, 16),
  OCTO_LOCAL_THREADS: integer("OCTO_LOCAL_THREADS", 0, 0, 256),
  OCTO_LOCAL_GPU: booleanFlag(false),

  OCTO_DEFAULT_FORMAT: z
    .enum(OUTPUT_FORMATS, { error: `must be one of ${OUTPUT_FORMATS.join(", ")}` })
    .default("chat"),
  OCTO_MAX_INPUT_CHARS: integer("OCTO_MAX_INPUT_CHARS", 12_000, 100, 200_000),
  OCTO_MAX_STEPS: integer("OCTO_MAX_STEPS", 8, 1, 50),
  OCTO_STEP_ATTEMPTS: integer("OCTO_STEP_ATTEMPTS", 3, 1, 10),
  OCTO_STEP_TIMEOUT_MS: integer("OCTO_STEP_TIMEOUT_MS", 300_000, 1_000, 3_600_000),
  OCTO_TURN_TIMEOUT_MS: integer("OCTO_TURN_TIMEOUT_MS", 1_800_000, 5_000, 86_400_000),
  OCTO_CONCURRENCY: integer("OCTO_CONCURRENCY", 8, 1, 256),
  OCTO_ROLE: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }).default("all"),
  OCTO_APPROVAL_AGENTS: z.preprocess(
    (v) => (v === undefined ? "contract,code" : v),
    z.string().transform((s) =>
      s.trim().toLowerCase() === "none"
        ? []
        : s
            .split(",")
            .map((p) => p.trim())
            .filter(Boolean),
    ),
  ),
  OCTO_APPROVERS: csv,
  OCTO_APPROVAL_TTL: integer("OCTO_APPROVAL_TTL", 86_400, 60, 31_536_000),
  // "off" reads as 0: conversations are then kept until forgotten.
  OCTO_RETENTION_DAYS: z.preprocess(
    (v) => (typeof v === "string" && v.trim().toLowerCase() === "off" ? "0" : v),
    integer("OCTO_RETENTION_DAYS", 30, 0, 36_500),
  ),

  OCTO_SANDBOX_TIMEOUT_MS: integer("OCTO_SANDBOX_TIMEOUT_MS", 5_000, 100, 120_000),
  OCTO_SANDBOX_MEMORY_MB: integer("OCTO_SANDBOX_MEMORY_MB", 64, 8, 1_024),
  OCTO_SQL_TIMEOUT_MS: integer("OCTO_SQL_TIMEOUT_MS", 10_000, 100, 600_000),
  OCTO_SQL_MAX_ROWS: integer("OCTO_SQL_MAX_ROWS", 1_000, 1, 100_000),
  OCTO_WEB_ALLOW: csv.refine(
    (entries) => entries.every((entry) => parseAllowEntry(entry) !== undefined),
    "must list host names (wiki.corp.example, .corp.example), addresses or CIDRs (10.20.0.0/16), comma-separated",
  ),
  OCTO_WEB_MAX_BYTES: integer("OCTO_WEB_MAX_BYTES", 2 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  OCTO_WEB_TIMEOUT_MS: integer("OCTO_WEB_TIMEOUT_MS", 15_000, 1_000, 300_000),
  /** Ingest the sample pages (kb/sample) when the knowledge base is empty at start. */
  OCTO_KB_SAMPLE: booleanFlag(true),

  OCTO_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  OCTO_LOG_FILE: optionalString,
  OCTO_DEBUG: booleanFlag(false),

  SLACK_BOT_TOKEN: optionalString.refine(
    (s) => s === undefined || s.startsWith("xoxb-"),
    "must start with xoxb-",
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine(
    (s) => s === undefined || s.startsWith("xapp-"),
    "must start with xapp-",
  ),
  SLACK_API_URL: url,
  OCTO_SLACK_PROGRESS: z
    .enum(SLACK_PROGRESS, { error: `must be one of ${SLACK_PROGRESS.join(", ")}` })
    .default("auto"),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: snowflake,
  DISCORD_GUILD_ID: snowflake,
  DISCORD_PUBLIC_KEY: optionalString.refine(
    (s) => s === undefined || /^[0-9a-f]{64}$/i.test(s),
    "must be the application's 64-hex-digit public key (Developer Portal > General Information)",
  ),
  DISCORD_API_URL: url,

  OCTO_API_TOKEN: optionalString.refine(
    (s) => s === undefined || (s.length >= 16 && /^[\x21-\x7e]+$/.test(s)),
    "must be at least 16 printable characters without spaces (e.g. openssl rand -hex 32)",
  ),
  OCTO_ALLOWED_ORIGINS: csv.refine(
    (origins) => origins.every(isOrigin),
    "must be origins such as https://app.example.com, comma-separated (scheme, host and port only; no *)",
  ),

  HOST: optionalString.default("0.0.0.0"),
  PORT: integer("PORT", 3000, 0, 65_535),
  /** /healthz, /readyz and /metrics on a listener of their own (unset: on PORT, when that listens). */
  OCTO_ADMIN_PORT: z.preprocess(
    (v) => (v === undefined || (typeof v === "string" && v.trim() === "") ? undefined : Number(v)),
    z
      .number({ error: "OCTO_ADMIN_PORT must be a whole number" })
      .int("OCTO_ADMIN_PORT must be a whole number")
      .min(0, "OCTO_ADMIN_PORT must be at least 0")
      .max(65_535, "OCTO_ADMIN_PORT must be at most 65535")
      .optional(),
  ),

  OCTO_PUBLIC_URL: url.refine(
    (s) => s === undefined || (/^https?:$/.test(new URL(s).protocol) && s.length <= MAX_PUBLIC_URL),
    `must be an http(s) URL of at most ${MAX_PUBLIC_URL} characters, such as https://octo.example.com`,
  ),
  OCTO_LINK_SECRET: optionalString.refine(
    (s) => s === undefined || s.length >= MIN_LINK_SECRET,
    `must be at least ${MIN_LINK_SECRET} characters (e.g. the output of \`openssl rand -hex 32\`)`,
  ),
  OCTO_LINK_TTL: integer("OCTO_LINK_TTL", 604_800, 60, 31_536_000),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Env {
  /** Absolute form of OCTO_DATA_DIR. */
  dataDir: string;
  /** Values that must never reach a log line, whatever field they hide in. */
  secrets: string[];
}

export class ConfigError extends Error {
  readonly code = "config_invalid";
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
    this.name = "ConfigError";
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "config_invalid"
  );
}

/** Parses the environment; throws a ConfigError whose lines each name one variable and what it accepts. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".") || "environment";
      const got = env[name];
      const shown = got === undefined || isSecretName(name) ? "" : ` (got "${clip(got, 60, "")}")`;
      return `${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(lines);
  }
  const values = parsed.data;
  if (values.OCTO_ROLE !== "all") {
    const lines: string[] = [];
    if (!values.POSTGRES_URL)
      lines.push(`OCTO_ROLE: ${values.OCTO_ROLE} needs POSTGRES_URL (processes share the job queue there)`);
    if (!values.SLACK_BOT_TOKEN && !values.DISCORD_TOKEN && !values.OCTO_API_TOKEN)
      lines.push(
        `OCTO_ROLE: ${values.OCTO_ROLE} needs a platform (SLACK_BOT_TOKEN, DISCORD_TOKEN or OCTO_API_TOKEN)`,
      );
    if (lines.length > 0) throw new ConfigError(lines);
  }
  if (values.OCTO_PUBLIC_URL && !values.OCTO_LINK_SECRET)
    // Never an unsigned link: a run's page shows its whole conversation to whoever holds the link.
    throw new ConfigError([
      "OCTO_PUBLIC_URL: run links need OCTO_LINK_SECRET to sign them (at least 32 characters, e.g. `openssl rand -hex 32`); unset OCTO_PUBLIC_URL for no links",
    ]);
  // Every variable named like a credential, and the passwords in connection strings as written and decoded.
  const secrets = [
    ...Object.entries(values).flatMap(([name, value]) =>
      isSecretName(name) && typeof value === "string" ? [value] : [],
    ),
    ...passwordsOf(values.POSTGRES_URL),
  ].filter((s) => s.length >= 4);
  return { ...values, dataDir: path.resolve(values.OCTO_DATA_DIR), secrets };
}

/** An origin as a browser sends it: `scheme://host[:port]`, nothing more (never a wildcard). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}

function isSecretName(name: string): boolean {
  return /KEY|TOKEN|SECRET|PASSWORD/.test(name);
}

function passwordsOf(connectionString: string | undefined): string[] {
  if (!connectionString) return [];
  try {
    const password = new URL(connectionString).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}
