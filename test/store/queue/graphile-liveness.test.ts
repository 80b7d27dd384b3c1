import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewJob } from "../../../src/store/queue/types.js";
import {
  GRAPHILE_URL,
  type QueueFixture,
  recorder,
  sleep,
  TARGETS,
  TEST_SWEEP_MS,
  until,
} from "./harness.js";

const target = TARGETS.find((candidate) => candidate.name === "graphile-worker on Postgres")!;
const suite = target.unavailable ? describe.skip : describe;
if (target.unavailable) console.warn(`[test] graphile-worker liveness skipped: ${target.unavailable}`);

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "graphile-child.ts");
const job = (threadKey: string, name: string): NewJob => ({ threadKey, kind: "turn", payload: { name } });

suite("graphile-worker liveness", () => {
  let fx: QueueFixture;
  let child: ChildProcess | undefined;
  beforeEach(async () => {
    fx = await target.open();
  });
  afterEach(async () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    child = undefined;
    await fx.destroy();
  });

  it("takes back, within seconds, the job of a worker process killed mid-job, as attempt 2 ahead of its thread", async () => {
    const queue = await fx.openQueue();
    const id = await queue.enqueue(job("t1", "long"));
    await queue.enqueue(job("t1", "next"));

    child = spawn(process.execPath, ["--import", "tsx", CHILD, GRAPHILE_URL!, fx.store.db.schema], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines = readline.createInterface({ input: child.stdout! });
    const started = new Promise<{ started: string; attempt: number }>((resolve, reject) => {
      lines.on("line", (line) => {
        const message = JSON.parse(line);
        if (message.started) resolve(message);
      });
      child!.once("exit", (code) =>
        reject(new Error(`the worker process exited (${code}) before taking a job`)),
      );
    });
    const timeout = sleep(30_000).then(() => {
      throw new Error("the worker process took no job within 30 s");
    });
    expect(await Promise.race([started, timeout])).toEqual({ started: id, attempt: 1 });

    const exited = new Promise((resolve) => child!.once("exit", resolve));
    process.kill(child.pid!, "SIGKILL");
    await exited;
    const killedAt = performance.now();

    const rec = recorder(async () => "done");
    await queue.start(rec.handler);
    await until("the killed worker's job ran again", () => rec.finished().length === 2, 5_000);
    expect(rec.spans[0]!.start - killedAt).toBeLessThan(5_000);
    expect(rec.spans.map((span) => [span.job.payload.name, span.job.attempt, span.job.id])).toEqual([
      ["long", 2, id],
      ["next", 1, expect.any(String)],
    ]);
  });

  it("keeps a live worker's job when its connections are cut, and the worker keeps working", async () => {
    const ownerId = `owner-${randomBytes(4).toString("hex")}`;
    const owner = await fx.openQueue({ workerId: ownerId });
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const ownerRec = recorder(async (queued) => {
      if (queued.payload.name === "long") await gate;
      return "done";
    });
    await owner.start(ownerRec.handler);
    await owner.enqueue(job("t1", "long"));
    await until("the owner took the job", () => ownerRec.spans.length === 1);

    const other = await fx.openQueue();
    const otherRec = recorder(async () => "done");
    await other.start(otherRec.handler);

    const admin = new pg.Client({ connectionString: GRAPHILE_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ cut: boolean }>(
        "SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE application_name = $1",
        [`octo-queue:${ownerId}`],
      );
      expect(rows.filter((row) => row.cut).length).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.end();
    }
    // Many sweeps of the other worker: none may take the owner's job.
    await sleep(TEST_SWEEP_MS * 6);
    expect(otherRec.spans).toEqual([]);
    letGo();
    await until("the owner finished its job", () => ownerRec.finished().length === 1);
    await until("t1 empty", async () => (await owner.depth("t1")) === 0);
    expect(ownerRec.spans[0]!.job.attempt).toBe(1);
    expect(otherRec.spans).toEqual([]);

    await other.stop(1_000);
    await owner.enqueue(job("t2", "after the cut"));
    await until("the owner ran a new job", () => ownerRec.finished().length === 2, 5_000);
    expect(ownerRec.spans[1]!.job).toMatchObject({ attempt: 1, payload: { name: "after the cut" } });
  });

  it("lets several processes starting together on a fresh database all migrate and work", async () => {
    const queues = await Promise.all([1, 2, 3].map(() => fx.openQueue({ concurrency: 1 })));
    const rec = recorder(async () => "done");
    await Promise.all(queues.map((queue) => queue.start(rec.handler)));
    for (const [index, queue] of queues.entries()) await queue.enqueue(job(`t${index}`, `from ${index}`));
    await until("three jobs done", () => rec.finished().length === 3);
    expect(rec.names().sort()).toEqual(["from 0", "from 1", "from 2"]);
  });
});
