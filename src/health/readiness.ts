import { errorMessage } from "../vocabulary/index.js";

/**
 * Readiness, as opposed to liveness: /healthz says the process is alive (restart it if not); /readyz
 * says it can do its work now (send it traffic, alert if not for long): the database answers, the model
 * is loaded, each platform connection is up. A check that fails names itself and why.
 */
export interface ReadinessCheck {
  /** `database`, `model`, `slack`, `discord` ...: the key in /readyz's body. */
  readonly name: string;
  check(): CheckResult | Promise<CheckResult>;
}

export type CheckResult =
  | { ok: true; detail?: Record<string, unknown> | undefined }
  | { ok: false; reason: string; detail?: Record<string, unknown> | undefined };

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; reason?: string | undefined; [detail: string]: unknown }>;
}

/** A probe comes every few seconds; a check that takes longer than this is a failing one. */
export const CHECK_TIMEOUT_MS = 3_000;

/** Runs every check at once, each bounded by `timeoutMs`; a check that throws fails with its message. */
export async function checkReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(
      async (check): Promise<[string, CheckResult]> => [check.name, await bounded(check, timeoutMs)],
    ),
  );
  const report: ReadinessReport = { ready: true, checks: {} };
  for (const [name, result] of results) {
    report.checks[name] = result.ok
      ? { ok: true, ...result.detail }
      : { ok: false, reason: result.reason, ...result.detail };
    if (!result.ok) report.ready = false;
  }
  return report;
}

async function bounded(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
  });
  const checked = (async () => check.check())().catch(
    (error: unknown): CheckResult => ({ ok: false, reason: errorMessage(error) }),
  );
  try {
    return await Promise.race([checked, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The database answers a query (on PGlite: its worker is alive and not stuck). */
export function databaseCheck(db: {
  readonly kind: string;
  query(sql: string): Promise<unknown>;
}): ReadinessCheck {
  return {
    name: "database",
    async check() {
      await db.query("SELECT 1");
      return { ok: true, detail: { kind: db.kind } };
    },
  };
}

/** The model can answer: the embedded one is loaded; a remote one counts once configured. */
export function modelCheck(llm: {
  readonly provider: string;
  readonly model: string;
  readiness?(): { ready: boolean; reason?: string | undefined; lastCall?: unknown };
}): ReadinessCheck {
  return {
    name: "model",
    check() {
      const state = llm.readiness?.() ?? { ready: true };
      const detail = {
        provider: llm.provider,
        model: llm.model,
        ...(state.lastCall ? { lastCall: state.lastCall } : {}),
      };
      return state.ready
        ? { ok: true, detail }
        : { ok: false, reason: state.reason ?? "the model is not loaded", detail };
    },
  };
}

/** A platform adapter's connection (see Adapter.connection); one without that state counts as up. */
export function connectionCheck(adapter: {
  readonly name: string;
  connection?(): { up: boolean; reason?: string | undefined };
}): ReadinessCheck {
  return {
    name: adapter.name,
    check() {
      const state = adapter.connection?.() ?? { up: true };
      return state.up ? { ok: true } : { ok: false, reason: state.reason ?? "not connected" };
    },
  };
}
