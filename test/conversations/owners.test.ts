import { afterEach, describe, expect, it } from "vitest";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { silentLogger } from "../../src/log.js";
import { type JobQueue, openJobQueue } from "../../src/store/index.js";
import { InProcessJobQueue } from "../../src/store/queue/in-process.js";
import { cutShortRun } from "../support/cut-run.js";
import { DATABASE_KINDS, openTestStore, postgresUrl, type TestStore } from "../support/databases.js";
import { collectEvents, type DeliveredRun, deliveredRuns } from "../support/events.js";
import { createTestService } from "../support/service.js";
import { resultOf } from "./support.js";

const THREAD = "console:owners";

const plan = () => ({
  steps: [
    { id: 1, agent: "search", task: "find", description: "", depends_on: [], needs_approval: false },
    { id: 2, agent: "data", task: "analyse", description: "", depends_on: [1], needs_approval: false },
  ],
});

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups = [];
});

describe("two processes on one Postgres and a run a crash cut short (bug 2)", () => {
  it("is carried on by exactly one of them, and answered once", async () => {
    const url = await postgresUrl();
    if (!url) {
      console.warn("[test] no Postgres server: the two-replica ownership case needs graphile-worker");
      return;
    }
    const store = await openTestStore("postgres");
    cleanups.push(() => store.destroy());
    await cutShortRun(store, THREAD, new ScriptedLlm({ handlers: { plan } }));

    const replicas = await Promise.all(
      ["a", "b"].map(async (name) => {
        const queue = await openJobQueue({
          db: store.db,
          postgresUrl: url,
          schema: store.db.schema,
          concurrency: 4,
          logger: silentLogger(),
          workerId: `owners-${name}`,
          sweepIntervalMs: 300,
        });
        const made = createTestService(store, { queue, scripted: { handlers: { plan } } });
        cleanups.push(() => made.service.close(1_000));
        return made;
      }),
    );
    // Both start together, as replicas of a rolling deploy do, and both look for work to take over.
    const delivered = (
      await Promise.all(replicas.map(({ service }) => deliveredRuns(service, "console")))
    ).flat();
    await Promise.all(replicas.map(({ service }) => service.idle(THREAD)));

    expect(delivered).toHaveLength(1);
    expect(resultOf(delivered[0]?.events ?? []).step_results.map((s) => s.status)).toEqual([
      "completed",
      "completed",
    ]);
    const dataRuns = replicas.flatMap(({ llm }) =>
      (llm as ScriptedLlm).calls.filter((call) => call.purpose === "agent:data"),
    );
    expect(dataRuns).toHaveLength(1);
    expect(await store.sessions.get(THREAD)).toMatchObject({ status: "completed", turns: 1 });
  });
});

describe.each(DATABASE_KINDS)("a crash just after a turn started, on %s (bug 6)", (kind) => {
  it("runs the kept request when the next process takes its job, instead of dropping it", async () => {
    const store: TestStore = await openTestStore(kind);
    cleanups.push(() => store.destroy());
    let started!: () => void;
    const intentStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    // The first process dies while understanding the request: its model call never returns.
    const crashedQueue: JobQueue = new InProcessJobQueue({
      db: store.db,
      concurrency: 2,
      logger: silentLogger(),
    });
    const crashed = createTestService(store, {
      queue: crashedQueue,
      scripted: {
        handlers: {
          intent: () => {
            started();
            return new Promise(() => {});
          },
        },
      },
    });
    void collectEvents(
      crashed.service.send({
        platform: "console",
        threadKey: THREAD,
        user: "alice",
        text: "search jellyfish",
      }),
    );
    await intentStarted;
    expect((await store.sessions.get(THREAD))?.status).toBe("active");

    // The next process on the same database: its queue sees the job (kept since it was accepted).
    const next = createTestService(store, {
      queue: new InProcessJobQueue({ db: store.db, concurrency: 2, logger: silentLogger() }),
    });
    cleanups.push(async () => {
      await next.service.close(500);
      await crashedQueue.stop(0);
    });
    const runs: DeliveredRun[] = await deliveredRuns(next.service, "console");
    await next.service.idle(THREAD);

    expect(runs).toHaveLength(1);
    const result = resultOf(runs[0]?.events ?? []);
    expect(result.request).toBe("search jellyfish");
    expect(await store.sessions.get(THREAD)).toMatchObject({ status: "completed", turns: 1 });
  });
});
