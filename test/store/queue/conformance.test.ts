import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewJob } from "../../../src/store/queue/types.js";
import { capturingLogger, type QueueFixture, recorder, sleep, TARGETS, until } from "./harness.js";

const job = (threadKey: string, name: string, extra: Partial<NewJob> = {}): NewJob => ({
  threadKey,
  kind: "turn",
  payload: { name },
  ...extra,
});

const sleeper = (ms: number) => async () => {
  await sleep(ms);
  return "done" as const;
};

for (const target of TARGETS) {
  const suite = target.unavailable ? describe.skip : describe;
  if (target.unavailable) console.warn(`[test] job queue "${target.name}" skipped: ${target.unavailable}`);

  suite(`job queue conformance: ${target.name}`, () => {
    let fx: QueueFixture;
    beforeEach(async () => {
      fx = await target.open();
    });
    afterEach(async () => {
      await fx.destroy();
    });

    it("runs one thread's jobs strictly in order, one at a time, jobs added in one transaction included", async () => {
      const queue = await fx.openQueue({ concurrency: 4 });
      await queue.enqueue(job("t1", "a"));
      await fx.store.db.transaction(async (tx) => {
        for (const name of ["b", "c", "d"]) await queue.enqueue(job("t1", name), tx);
      });
      await queue.enqueue(job("t1", "e"));
      const rec = recorder(sleeper(40));
      await queue.start(rec.handler);
      await until("five jobs done", () => rec.finished().length === 5);
      expect(rec.names()).toEqual(["a", "b", "c", "d", "e"]);
      expect(rec.peak).toBe(1);
      for (let i = 1; i < rec.spans.length; i += 1)
        expect(rec.spans[i]!.start).toBeGreaterThanOrEqual(rec.spans[i - 1]!.end!);
    });

    it("runs different threads at the same time", async () => {
      const queue = await fx.openQueue({ concurrency: 3 });
      for (const thread of ["t1", "t2", "t3"]) await queue.enqueue(job(thread, thread));
      const rec = recorder(sleeper(600));
      await queue.start(rec.handler);
      await until("three jobs done", () => rec.finished().length === 3);
      expect(rec.peak).toBe(3);
    });

    it("never runs more jobs at once than its concurrency", async () => {
      const queue = await fx.openQueue({ concurrency: 2 });
      expect(queue.concurrency).toBe(2);
      for (let i = 0; i < 6; i += 1) await queue.enqueue(job(`t${i}`, `j${i}`));
      let sawRunning = 0;
      const rec = recorder(async () => {
        sawRunning = Math.max(sawRunning, queue.running);
        await sleep(150);
        return "done";
      });
      await queue.start(rec.handler);
      await until("six jobs done", () => rec.finished().length === 6);
      expect(rec.peak).toBe(2);
      expect(sawRunning).toBe(2);
      await until("nothing running", () => queue.running === 0);
    });

    it("adds a job with the caller's transaction: rolled back runs nothing, committed runs", async () => {
      const queue = await fx.openQueue();
      const rec = recorder(sleeper(0));
      await queue.start(rec.handler);
      await expect(
        fx.store.db.transaction(async (tx) => {
          await tx.query(
            "INSERT INTO octo_processed_events (event_key, expires_at) VALUES ('ev1', now() + interval '1 hour')",
          );
          await queue.enqueue(job("t1", "rolled back"), tx);
          throw new Error("the caller fails after enqueueing");
        }),
      ).rejects.toThrow("the caller fails");
      await fx.store.db.transaction(async (tx) => {
        await queue.enqueue(job("t1", "committed"), tx);
      });
      // Same thread: had the rolled-back job existed, it would have run first.
      await until("the committed job done", () => rec.finished().length === 1);
      await sleep(200);
      expect(rec.names()).toEqual(["committed"]);
      expect(await queue.depth("t1")).toBe(0);
    });

    it("adds nothing while a job with the same dedupe key waits or runs", async () => {
      const queue = await fx.openQueue();
      const first = await queue.enqueue(job("t1", "takeover", { dedupeKey: "resume:run1" }));
      expect(first).toEqual(expect.any(String));
      expect(await queue.enqueue(job("t1", "takeover again", { dedupeKey: "resume:run1" }))).toBeUndefined();
      const other = await queue.enqueue(job("t1", "another run", { dedupeKey: "resume:run2" }));
      expect(other).toEqual(expect.any(String));
      expect(other).not.toBe(first);
      expect(await queue.depth("t1")).toBe(2);
      let letGo!: () => void;
      const gate = new Promise<void>((resolve) => {
        letGo = resolve;
      });
      const rec = recorder(async (queued) => {
        if (queued.payload.name === "takeover") await gate;
        return "done";
      });
      await queue.start(rec.handler);
      await until("the first job started", () => rec.spans.length === 1);
      // Running counts as existing: a takeover racing the job it takes over adds nothing either.
      expect(await queue.enqueue(job("t1", "while running", { dedupeKey: "resume:run1" }))).toBeUndefined();
      letGo();
      await until("two jobs done", () => rec.finished().length === 2);
      expect(rec.names()).toEqual(["takeover", "another run"]);
      // Once the job is finished its key is free again.
      expect(await queue.enqueue(job("t1", "later", { dedupeKey: "resume:run1" }))).toEqual(
        expect.any(String),
      );
      await until("the later job done", () => rec.finished().length === 3);
    });

    it("runs a `first` job before the jobs its thread queued earlier", async () => {
      const queue = await fx.openQueue();
      await queue.enqueue(job("t1", "a"));
      await queue.enqueue(job("t1", "b"));
      await queue.enqueue(job("t1", "carried on", { priority: "first" }));
      await queue.enqueue(job("t1", "c", { priority: "normal" }));
      const rec = recorder(sleeper(0));
      await queue.start(rec.handler);
      await until("four jobs done", () => rec.finished().length === 4);
      expect(rec.names()).toEqual(["carried on", "a", "b", "c"]);
    });

    it("on stop aborts the running job, which a new queue on the same database takes as attempt 2 first", async () => {
      const first = await fx.openQueue();
      let aborted = false;
      const firstRec = recorder(
        (_job, signal) =>
          new Promise((resolve) => {
            signal.addEventListener("abort", () => {
              aborted = true;
              resolve("release");
            });
          }),
      );
      const startedId = await first.enqueue(job("t1", "long"));
      await first.enqueue(job("t1", "after"));
      await first.start(firstRec.handler);
      await until("the long job started", () => firstRec.spans.length === 1);
      await first.stop(5_000);
      expect(aborted).toBe(true);
      expect(firstRec.names()).toEqual(["long"]);
      expect(await first.depth("t1")).toBe(2);

      const second = await fx.openQueue();
      // Added after the release: must still come after the released job.
      await second.enqueue(job("t1", "urgent", { priority: "first" }));
      const secondRec = recorder(sleeper(0));
      await second.start(secondRec.handler);
      await until("three jobs done", () => secondRec.finished().length === 3);
      expect(secondRec.names()).toEqual(["long", "urgent", "after"]);
      expect(secondRec.spans.map((span) => span.job.attempt)).toEqual([2, 1, 1]);
      expect(secondRec.spans[0]!.job.id).toBe(startedId);
    });

    it("on stop releases a job whose handler ignores the signal once the grace period is over", async () => {
      const first = await fx.openQueue();
      const firstRec = recorder(async () => {
        await sleep(3_000);
        return "done";
      });
      await first.enqueue(job("t1", "stubborn"));
      await first.start(firstRec.handler);
      await until("the job started", () => firstRec.spans.length === 1);
      const stopping = performance.now();
      await first.stop(200);
      expect(performance.now() - stopping).toBeLessThan(2_500);
      const second = await fx.openQueue();
      const secondRec = recorder(sleeper(0));
      await second.start(secondRec.handler);
      await until("the job ran again", () => secondRec.finished().length === 1);
      expect(secondRec.spans[0]!.job).toMatchObject({ attempt: 2, payload: { name: "stubborn" } });
    });

    it("counts a thread's waiting and running jobs", async () => {
      const queue = await fx.openQueue();
      for (const name of ["a", "b", "c"]) await queue.enqueue(job("t1", name));
      await queue.enqueue(job("t2", "x"));
      expect(await queue.depth("t1")).toBe(3);
      expect(await queue.depth("t2")).toBe(1);
      expect(await queue.depth("nobody")).toBe(0);
      let letGo!: () => void;
      const gate = new Promise<void>((resolve) => {
        letGo = resolve;
      });
      const rec = recorder(async (queued) => {
        if (queued.payload.name === "a") await gate;
        return "done";
      });
      await queue.start(rec.handler);
      await until("a started", () => rec.names().includes("a"));
      expect(await queue.depth("t1")).toBe(3);
      letGo();
      await until("all done", () => rec.finished().length === 4);
      await until("t1 empty", async () => (await queue.depth("t1")) === 0);
      expect(await queue.depth("t2")).toBe(0);
    });

    it("drops a job whose handler throws, with a log line, and moves on to the thread's next job", async () => {
      const { logger, lines } = capturingLogger();
      const queue = await fx.openQueue({ logger });
      await queue.enqueue(job("t1", "broken"));
      await queue.enqueue(job("t1", "fine"));
      const rec = recorder(async (queued) => {
        if (queued.payload.name === "broken") throw new Error("the model fell over");
        return "done";
      });
      await queue.start(rec.handler);
      await until("both ran", () => rec.finished().length === 2);
      await until("t1 empty", async () => (await queue.depth("t1")) === 0);
      expect(rec.names()).toEqual(["broken", "fine"]);
      const line = lines.find((entry) => entry.msg.includes("the model fell over"));
      expect(line).toMatchObject({ level: 50 });
      expect(line?.msg).toContain("dropped");
      await sleep(300);
      expect(rec.names()).toEqual(["broken", "fine"]);
    });

    it("starts a job soon after it is added, well before its backstop poll", async () => {
      const queue = await fx.openQueue();
      const rec = recorder(sleeper(0));
      await queue.start(rec.handler);
      const latencies: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        const added = performance.now();
        await queue.enqueue(job(`t${i % 3}`, `j${i}`));
        await until("the job started", () => rec.spans.length === i + 1, 5_000);
        latencies.push(rec.spans[i]!.start - added);
      }
      latencies.sort((a, b) => a - b);
      expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(400);
    });
  });
}
