import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/conversations/index.js";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { cutShortRun } from "../support/cut-run.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";
import { collectEvents, deliveredRuns } from "../support/events.js";
import { createTestService } from "../support/service.js";

const THREAD = "console:cut";

const plan = () => ({
  steps: [
    { id: 1, agent: "search", task: "find", description: "", depends_on: [], needs_approval: false },
    { id: 2, agent: "data", task: "analyse", description: "", depends_on: [1], needs_approval: false },
  ],
});

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

function resultOf(events: RunEvent[]) {
  return events.find((e) => e.type === "result");
}

describe.each(DATABASE_KINDS)("resuming runs a crash cut short, on %s", (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("finishes the run from its last checkpoint without redoing finished steps", async () => {
    const before = new ScriptedLlm({ handlers: { plan } });
    await cutShortRun(store, THREAD, before);
    expect(before.calls.filter((c) => c.purpose.startsWith("agent:")).map((c) => c.purpose)).toEqual([
      "agent:search",
    ]);

    const { service, llm } = createTestService(store, { scripted: { handlers: { plan } } });
    const resumed = await deliveredRuns(service, "console");
    expect(resumed.map((r) => [r.threadKey, r.user])).toEqual([[THREAD, "alice"]]);
    const events = only(resumed).events;
    expect(events[0]).toMatchObject({ type: "status", status: "resuming" });
    const result = resultOf(events);
    expect(result?.type === "result" && result.result.step_results.map((s) => [s.agent, s.status])).toEqual([
      ["search", "completed"],
      ["data", "completed"],
    ]);
    expect(
      (llm as ScriptedLlm).calls.filter((c) => c.purpose.startsWith("agent:")).map((c) => c.purpose),
    ).toEqual(["agent:data"]);
    expect(await store.sessions.get(THREAD)).toMatchObject({ status: "completed", turns: 1 });
    expect(await deliveredRuns(service, "console")).toEqual([]);
    await service.close();
  });

  it("puts the conversation back as it was, with a retry, when the resumed run fails", async () => {
    await cutShortRun(store, THREAD, new ScriptedLlm({ handlers: { plan } }));
    const { service } = createTestService(store, {
      scripted: {
        handlers: {
          plan,
          "agent:data": () => {
            throw new OctoError("llm_timeout", "data model timed out", { retryable: true });
          },
          // The replan after that failure fails as well, which fails the run.
          replan: () => {
            throw new OctoError("llm_invalid_output", "unusable plan");
          },
        },
      },
      settings: { stepAttempts: 1 },
    });
    const events = only(await deliveredRuns(service, "console")).events;
    const error = events.find((e) => e.type === "error");
    expect(error).toMatchObject({ kind: "llm_invalid_output", retryable: true });
    expect(error?.type === "error" && error.retry_id).toMatch(/^rt_/);
    // It was the thread's first turn: nothing of it stays.
    const history = await service.history(THREAD);
    expect(history).toMatchObject({ session: undefined, checkpoints: [] });
    await service.close();
  });

  it("leaves other platforms' runs alone", async () => {
    await cutShortRun(store, THREAD, new ScriptedLlm({ handlers: { plan } }));
    const { service } = createTestService(store);
    expect(await deliveredRuns(service, "slack")).toEqual([]);
    expect((await store.sessions.get(THREAD))?.status).toBe("active");
    await service.close();
  });
});

describe.each(DATABASE_KINDS)("a decision the process accepted just before it stopped, on %s", (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("is applied when the run resumes instead of failing it", async () => {
    const first = createTestService(store);
    const events = await collectEvents(
      first.service.send({
        platform: "console",
        threadKey: THREAD,
        user: "alice",
        text: "draft an NDA contract",
      }),
    );
    const request = events.find((e) => e.type === "approval_requested");
    await first.service.close();
    // The crash: the decision is stored and the session marked running, but the graph never resumed.
    const approvalId = request?.type === "approval_requested" ? request.approval.approval_id : "";
    await store.approvals.decide(approvalId, "edited", "alice", "draft a one-page NDA");
    await store.sessions.settle(THREAD, "active", 0);

    const { service, llm } = createTestService(store);
    const resumed = only(await deliveredRuns(service, "console")).events;
    const result = resultOf(resumed);
    expect(result?.type === "result" && result.result.step_results[0]).toMatchObject({
      status: "completed",
      task: "draft a one-page NDA",
      approval: { decision: "edit", by: "alice" },
    });
    expect((llm as ScriptedLlm).calls.find((c) => c.purpose === "agent:contract")?.context.task).toBe(
      "draft a one-page NDA",
    );
    expect(resumed.filter((e) => e.type === "approval_requested")).toHaveLength(0);
    expect(await store.sessions.get(THREAD)).toMatchObject({ status: "completed", turns: 1 });
    await service.close();
  });
});

describe.each(DATABASE_KINDS)("a clean shutdown in the middle of a run, on %s", (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("says the request will continue, and the next start finishes it", async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const dataStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = createTestService(store, {
      scripted: {
        handlers: {
          plan,
          "agent:data": async () => {
            started();
            await stuck;
            return { result: "late", confidence: 0.5 };
          },
        },
      },
    });
    const stream = collectEvents(
      first.service.send({
        platform: "console",
        threadKey: THREAD,
        user: "alice",
        text: "search then analyse",
      }),
    );
    await dataStarted;
    await first.service.close();
    release();
    const events = await stream;
    expect(events.at(-1)).toMatchObject({ type: "error", kind: "restarting", retryable: false });
    expect((await store.sessions.get(THREAD))?.status).toBe("active");

    const { service } = createTestService(store, { scripted: { handlers: { plan } } });
    const resumed = only(await deliveredRuns(service, "console")).events;
    const result = resultOf(resumed);
    expect(result?.type === "result" && result.result.step_results.map((s) => s.status)).toEqual([
      "completed",
      "completed",
    ]);
    expect(await store.sessions.get(THREAD)).toMatchObject({ status: "completed", turns: 1 });
    await service.close();
  });
});
