import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../../src/log.js";
import { InProcessJobQueue } from "../../../src/store/queue/in-process.js";
import { openTestStore, type TestStore } from "../../support/databases.js";
import { recorder, until } from "./harness.js";

describe("in-process job queue after a crash", () => {
  let store: TestStore;
  const queues: InProcessJobQueue[] = [];
  beforeEach(async () => {
    store = await openTestStore("pglite");
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.stop(100)));
    await store.destroy();
  });

  const open = () => {
    const queue = new InProcessJobQueue({ db: store.db, concurrency: 2, logger: silentLogger() });
    queues.push(queue);
    return queue;
  };

  it("runs the jobs a dead process had taken again when the next one starts, as attempt 2, in order", async () => {
    const crashed = open();
    await crashed.enqueue({ threadKey: "t1", kind: "turn", payload: { name: "interrupted" } });
    await crashed.enqueue({ threadKey: "t1", kind: "turn", payload: { name: "queued behind" } });
    const stuck = recorder(() => new Promise(() => {}));
    await crashed.start(stuck.handler);
    await until("the first job started", () => stuck.spans.length === 1);

    // The process that held the job is gone: a new queue on the same database sees every row as waiting.
    const restarted = open();
    const rec = recorder(async () => "done");
    await restarted.start(rec.handler);
    await until("both jobs done", () => rec.finished().length === 2);
    expect(rec.spans.map((span) => [span.job.payload.name, span.job.attempt])).toEqual([
      ["interrupted", 2],
      ["queued behind", 1],
    ]);
  });
});
