import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpHost } from "../../src/adapters/http/index.js";
import type { ConnectionState } from "../../src/adapters/index.js";
import {
  checkReadiness,
  connectionCheck,
  databaseCheck,
  modelCheck,
  type ReadinessCheck,
  type ReadinessReport,
} from "../../src/health/index.js";
import { MeteredLlm } from "../../src/llm/metered.js";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import type { LlmReadiness } from "../../src/llm/types.js";
import { silentLogger } from "../../src/log.js";
import { createMetrics } from "../../src/metrics/index.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";

/** A model whose readiness the test sets, as the embedded one reports it. */
class LoadableModel extends ScriptedLlm {
  state: LlmReadiness = { ready: true };
  readiness(): LlmReadiness {
    return this.state;
  }
}

/** A platform adapter whose connection the test sets, as Socket Mode or the gateway report it. */
function platform(name: string, state: ConnectionState) {
  return {
    name,
    state,
    connection() {
      return this.state;
    },
  };
}

describe.each(DATABASE_KINDS)("GET /readyz on %s", (kind) => {
  let store: TestStore;
  let hosts: HttpHost[] = [];
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    for (const host of hosts) await host.close();
    hosts = [];
    await store.destroy().catch(() => {});
  });

  const serve = async (checks: () => ReadinessCheck[], options: { admin?: boolean } = {}) => {
    const host = new HttpHost({
      host: "127.0.0.1",
      port: 0,
      logger: silentLogger(),
      readiness: () => checkReadiness(checks()),
      metrics: createMetrics({ feedback: async () => [] }),
      adminEndpoints: options.admin ?? true,
    });
    hosts.push(host);
    await host.listen();
    return host;
  };
  const probe = async (host: HttpHost) => {
    const response = await fetch(`${host.url}/readyz`);
    return { status: response.status, body: (await response.json()) as ReadinessReport };
  };
  const get = async (host: HttpHost, path: string) => {
    const response = await fetch(`${host.url}${path}`);
    return { status: response.status, body: await response.text() };
  };

  it("is 200 only while the database, the model and every platform connection are up, and 503 naming what is not", async () => {
    const model = new LoadableModel();
    const slack = platform("slack", { up: true });
    const discord = platform("discord", { up: true });
    // An HTTP-mode adapter has no connection of its own to report: it counts as up.
    const api = { name: "http-api" };
    const host = await serve(() => [
      databaseCheck(store.db),
      modelCheck(model),
      ...[slack, discord, api].map(connectionCheck),
    ]);

    const ready = await probe(host);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      checks: {
        database: { ok: true, kind: store.db.kind },
        model: { ok: true, provider: "scripted" },
        slack: { ok: true },
        discord: { ok: true },
        "http-api": { ok: true },
      },
    });

    model.state = { ready: false, reason: "the local model gemma is no longer loaded" };
    let answer = await probe(host);
    expect(answer.status).toBe(503);
    expect(answer.body.ready).toBe(false);
    expect(answer.body.checks.model).toMatchObject({
      ok: false,
      reason: "the local model gemma is no longer loaded",
    });
    expect(answer.body.checks.database?.ok).toBe(true);
    model.state = { ready: true };

    slack.state = { up: false, reason: "Socket Mode reconnecting" };
    answer = await probe(host);
    expect(answer.status).toBe(503);
    expect(answer.body.checks.slack).toEqual({ ok: false, reason: "Socket Mode reconnecting" });
    slack.state = { up: true };
    discord.state = { up: false, reason: "Discord gateway closed (code 4004)" };
    answer = await probe(host);
    expect(answer.status).toBe(503);
    expect(answer.body.checks.discord).toEqual({ ok: false, reason: "Discord gateway closed (code 4004)" });
    expect(Object.entries(answer.body.checks).filter(([, c]) => !(c as { ok: boolean }).ok)).toHaveLength(1);
    discord.state = { up: true };

    // The database gone (the PGlite worker stopped, the Postgres pool closed): /readyz says so; /healthz
    // still says the process is alive.
    await store.close();
    answer = await probe(host);
    expect(answer.status).toBe(503);
    expect(answer.body.checks.database?.ok).toBe(false);
    expect(answer.body.checks.database?.reason).toMatch(/\S/);
    expect(await get(host, "/healthz")).toEqual({ status: 200, body: "ok" });
  });

  it("fails a check that does not answer in time instead of hanging the probe", async () => {
    const stuck: ReadinessCheck = { name: "database", check: () => new Promise(() => {}) };
    const report = await checkReadiness([stuck, modelCheck(new ScriptedLlm())], 50);
    expect(report).toEqual({
      ready: false,
      checks: {
        database: { ok: false, reason: "no answer within 50 ms" },
        model: { ok: true, provider: "scripted", model: expect.any(String) },
      },
    });
  });

  it("reports a remote model ready once configured, with its last call's outcome, never asking it", async () => {
    const scripted = new ScriptedLlm({
      handlers: {
        intent: () => {
          throw new Error("connection refused");
        },
      },
    });
    const llm = new MeteredLlm(scripted, createMetrics({ feedback: async () => [] }));
    await expect(llm.chat([{ role: "user", content: "hi" }], { purpose: "intent" })).rejects.toThrow();
    const before = scripted.calls.length;
    const report = await checkReadiness([modelCheck(llm)]);
    expect(report.ready).toBe(true);
    expect(report.checks.model).toMatchObject({ ok: true, lastCall: { ok: false } });
    expect(scripted.calls.length).toBe(before);
  });

  it("serves /healthz, /readyz and /metrics on the admin listener only, when one is asked for", async () => {
    const checks = () => [databaseCheck(store.db)];
    const platforms = await serve(checks, { admin: false });
    const admin = await serve(checks);
    for (const path of ["/healthz", "/readyz", "/metrics"])
      expect((await get(platforms, path)).status).toBe(404);
    expect(await get(admin, "/healthz")).toEqual({ status: 200, body: "ok" });
    expect((await probe(admin)).status).toBe(200);
    const metrics = await get(admin, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^octo_process_resident_memory_bytes \d+/m);
  });
});
