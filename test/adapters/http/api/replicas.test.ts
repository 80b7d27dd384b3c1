import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../../../src/conversations/index.js";
import { type BotProcess, spawnBot } from "../../../e2e/faults/bot-process.js";
import { openTestStore, postgresUrl, type TestStore } from "../../../support/databases.js";
import { replicaQueue } from "../../../support/service.js";
import { type ApiHarness, allMessages, openSession, startApi, TOKEN } from "./harness.js";

/** Upper bound for a bot's start (tsx compiles the sources) on a busy two-core machine. */
const START_MS = 60_000;

/**
 * Two processes on one Postgres: the API in this process, which keeps requests as jobs and runs none
 * (OCTO_ROLE=intake), and a real bot process (`src/main.ts`, OCTO_ROLE=worker) that runs them. A client
 * of the API follows each run as it executes in the other process, through the run event log.
 */
describe("a client of one replica following a run that executes on another", () => {
  let store: TestStore | undefined;
  let api: ApiHarness | undefined;
  let worker: BotProcess | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    store = await openTestStore("postgres");
    const queue = store.kind === "postgres" ? await replicaQueue(store, "api-intake") : undefined;
    if (!queue) return;
    dir = await mkdtemp(path.join(os.tmpdir(), "octo-api-replicas-"));
    const script = path.join(dir, "script.json");
    // Slow enough that the run's events arrive over time, not in one burst.
    await writeFile(script, JSON.stringify({ delayMs: 150 }));
    const url = (await postgresUrl()) as string;
    worker = spawnBot("api-worker", {
      OCTO_ROLE: "worker",
      OCTO_API_TOKEN: TOKEN,
      POSTGRES_URL: url,
      OCTO_PG_SCHEMA: store.db.schema,
      OCTO_DATA_DIR: path.join(dir, "data"),
      OCTO_LLM_SCRIPT: script,
      OCTO_APPROVAL_AGENTS: "contract",
    });
    api = await startApi({ store, queue, takesJobs: false });
    await worker.waitForLog('"msg":"started"', START_MS);
  }, START_MS + 30_000);

  afterAll(async () => {
    await worker?.kill();
    await api?.close();
    await store?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("streams the run's events from the worker, through its approval, to the result", async () => {
    if (!api || !worker) {
      console.warn("[test] no Postgres server: two processes on one database cannot be shown on PGlite");
      return;
    }
    const session = await openSession(api);
    const response = await api.call("POST", `/sessions/${session}/messages`, {
      body: { text: "search for reef fish then draft an NDA contract" },
      headers: { accept: "text/event-stream" },
    });
    const paused = (await allMessages(response)).filter((m) => m.id);
    const events = paused.map((m) => JSON.parse(m.data) as RunEvent);
    const runId = events[0]?.runId as string;
    expect(paused.map((m) => m.id)).toEqual(paused.map((_, i) => `${runId}:${i + 1}`));
    expect(events.map((e) => e.type)).toContain("step_finished");
    expect(events.at(-1)).toMatchObject({ type: "status", status: "waiting_approval" });
    // It ran in the other process: this one takes no jobs, and the worker logged the turn.
    expect(worker.stdout()).toContain(`"threadKey":"http:${session}"`);
    expect(worker.stdout()).toMatch(/"msg":"turn started"/);

    const asked = events.find((e) => e.type === "approval_requested") as Extract<
      RunEvent,
      { type: "approval_requested" }
    >;
    const decided = await api.call("POST", `/approvals/${asked.approval.approval_id}`, {
      body: { decision: "approve" },
    });
    expect(decided.status).toBe(200);
    const outcome = (await decided.json()) as {
      status: string;
      result: { step_results: { agent: string; status: string }[] };
    };
    expect(outcome.status).toBe("completed");
    expect(outcome.result.step_results.map((r) => [r.agent, r.status])).toEqual([
      ["search", "completed"],
      ["contract", "completed"],
    ]);
    const log = await api.service.runEvents(runId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.at(-1)?.event.type).toBe("result");
  }, 120_000);
});
