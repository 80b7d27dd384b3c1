import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApiAdapter } from "../../../../src/adapters/http/api/index.js";
import { selectAdapters } from "../../../../src/adapters/index.js";
import { loadConfig } from "../../../../src/config.js";
import type { ConversationApi, DeliveryLedger } from "../../../../src/conversations/index.js";
import { capturingLogger, type LogLine } from "../../../support/logs.js";
import { type ApiHarness, openSession, startApi, TOKEN } from "./harness.js";

const APP = "https://app.example.com";

async function counts(api: ApiHarness) {
  const { rows } = await api.store.db.query<{ sessions: number; jobs: number; runs: number }>(
    `SELECT (SELECT count(*)::int FROM octo_sessions) AS sessions, (SELECT count(*)::int FROM octo_jobs) AS jobs,
            (SELECT count(*)::int FROM octo_runs) AS runs`,
  );
  return rows[0];
}

describe("the HTTP API's token and CORS", () => {
  let api: ApiHarness;
  let session: string;
  beforeAll(async () => {
    api = await startApi({ env: { OCTO_ALLOWED_ORIGINS: `${APP},http://127.0.0.1:5173` } });
    session = await openSession(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const routes: [string, string, unknown?][] = [
    ["POST", "/sessions", {}],
    ["GET", "/sessions"],
    ["GET", "/sessions/{s}"],
    ["PATCH", "/sessions/{s}", { title: "stolen" }],
    ["DELETE", "/sessions/{s}"],
    ["POST", "/sessions/{s}/messages", { text: "search for cats" }],
    ["GET", "/sessions/{s}/checkpoints"],
    ["POST", "/sessions/{s}/rewind", { turns: 1 }],
    ["GET", "/sessions/{s}/runs"],
    ["GET", "/sessions/{s}/runs/run_x/events"],
    ["GET", "/approvals?session={s}"],
    ["POST", "/approvals/apr_x", { decision: "approve" }],
    ["GET", "/ws"],
    ["GET", "/nowhere"],
  ];

  it("refuses every route without the right token with 401, writing nothing and logging no token", async () => {
    const before = await counts(api);
    for (const token of [null, "wrong-token-0123456789abcdef", `${TOKEN}x`, ""]) {
      for (const [method, path, body] of routes) {
        const response = await api.call(method, path.replaceAll("{s}", session), {
          ...(body === undefined ? {} : { body }),
          token,
        });
        expect(response.status, `${method} ${path} with ${token}`).toBe(401);
        expect(await response.json()).toMatchObject({ error: "unauthorized" });
      }
    }
    expect(await counts(api)).toEqual(before);
    expect((await api.service.session(`http:${session}`))?.title).toBe("");
    const refusals = api.logs.filter((line) => line.msg === "API request refused: no valid token");
    expect(refusals.length).toBeGreaterThanOrEqual(routes.length * 4);
    expect(JSON.stringify(api.logs)).not.toContain("wrong-token-0123456789abcdef");
  });

  it("takes the token in any case of `Bearer`, and serves the OpenAPI document without one", async () => {
    const response = await api.call("GET", "/sessions", {
      token: null,
      headers: { authorization: `bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    const doc = await api.call("GET", "/openapi.json", { token: null });
    expect(doc.status).toBe(200);
  });

  it("refuses a malformed X-Octo-User with 400 naming the header", async () => {
    const response = await api.call("GET", "/sessions", { user: "x".repeat(129) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "validation_failed", field: "X-Octo-User" });
  });

  it("answers an allowed origin with itself, never a wildcard, and its preflight without a token", async () => {
    const response = await api.call("GET", "/sessions", { headers: { origin: APP } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("vary")).toMatch(/Origin/);

    const preflight = await api.call("OPTIONS", `/sessions/${session}/messages`, {
      token: null,
      user: null,
      headers: {
        origin: APP,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, last-event-id",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(APP);
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/POST/);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Last-Event-ID/);
  });

  it("gives a refused origin no CORS header, and refuses its preflight", async () => {
    for (const origin of ["https://evil.example.com", "https://app.example.com.evil.example.com", "null"]) {
      const response = await api.call("GET", "/sessions", { headers: { origin } });
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      const preflight = await api.call("OPTIONS", "/sessions", {
        token: null,
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(api.logs.some((line) => line.msg.startsWith("CORS preflight refused"))).toBe(true);
  });
});

describe("the HTTP API as a platform", () => {
  const ctx = (env: Record<string, string>, logs: LogLine[] = []) => ({
    config: loadConfig({ OCTO_DATA_DIR: "/tmp/octo-api-test", ...env }),
    conversations: {} as ConversationApi,
    ledger: {} as DeliveryLedger,
    logger: capturingLogger(logs),
  });

  it("is off without OCTO_API_TOKEN, saying so, and then the console runs", () => {
    const logs: LogLine[] = [];
    expect(createHttpApiAdapter(ctx({}, logs))).toBeUndefined();
    expect(logs.map((line) => line.msg)).toContain("HTTP API disabled: OCTO_API_TOKEN is not set");
    const adapters = selectAdapters(ctx({}), { thread: undefined, onConsoleExit: () => {} });
    expect(adapters.map((adapter) => adapter.name)).toEqual(["console"]);
  });

  it("is a platform of its own with OCTO_API_TOKEN (no console), and not served by a worker", () => {
    const adapters = selectAdapters(ctx({ OCTO_API_TOKEN: TOKEN }), {
      thread: undefined,
      onConsoleExit: () => {},
    });
    expect(adapters.map((adapter) => adapter.name)).toEqual(["http-api"]);
    const worker = ctx({ OCTO_API_TOKEN: TOKEN, OCTO_ROLE: "worker", POSTGRES_URL: "postgres://x@h/db" });
    expect(createHttpApiAdapter({ ...worker, logger: pino({ level: "silent" }) })).toBeUndefined();
    // Such a worker runs the API's jobs; it has no adapter, and no console either.
    expect(selectAdapters(worker, { thread: undefined, onConsoleExit: () => {} })).toEqual([]);
  });
});
