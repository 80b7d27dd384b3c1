import { randomBytes } from "node:crypto";
import { silentLogger } from "../src/log.js";
import { openJobQueue, openStore } from "../src/store/index.js";
import { workerSchemaFor } from "../src/store/queue/graphile-sql.js";
import { dropSchema, postgresUrl } from "../test/support/databases.js";
import { percentile } from "./stats.js";

/**
 * The queue's own cost per job, with a handler that does nothing: one job at a time, each on a thread
 * of its own, timed from just before `enqueue` to the handler's start, and to the job being gone (its
 * thread's depth back to 0, polled without pause, so "done" includes one query's round trip).
 */
const JOBS = 500;
const WARM_UP = 30;

export interface Overhead {
  queue: string;
  enqueue: number[];
  start: number[];
  done: number[];
}

export async function queueOverhead(kind: "pglite" | "postgres"): Promise<Overhead | undefined> {
  const url = kind === "postgres" ? await postgresUrl() : undefined;
  if (kind === "postgres" && !url) return undefined;
  const schema = `octo_bench_q_${randomBytes(4).toString("hex")}`;
  const store = await openStore({ postgresUrl: url, schema: url ? schema : "public", poolMax: 10 });
  const queue = await openJobQueue({
    db: store.db,
    postgresUrl: url,
    schema: store.db.schema,
    concurrency: 8,
    logger: silentLogger(),
  });
  const started = new Map<string, (at: number) => void>();
  await queue.start(async (job) => {
    started.get(job.threadKey)?.(performance.now());
    return "done";
  });
  const result: Overhead = { queue: queue.kind, enqueue: [], start: [], done: [] };
  try {
    for (let i = 0; i < WARM_UP + JOBS; i++) {
      const threadKey = `bench:queue:${i}`;
      const start = new Promise<number>((resolve) => started.set(threadKey, resolve));
      const t0 = performance.now();
      await queue.enqueue({ threadKey, kind: "noop", payload: {} });
      const enqueued = performance.now();
      const handlerStart = await start;
      while ((await queue.depth(threadKey)) > 0);
      const done = performance.now();
      started.delete(threadKey);
      if (i < WARM_UP) continue;
      result.enqueue.push(enqueued - t0);
      result.start.push(handlerStart - t0);
      result.done.push(done - t0);
    }
  } finally {
    await queue.stop(1_000);
    await store.close();
    if (url) {
      await dropSchema(url, workerSchemaFor(schema));
      await dropSchema(url, schema);
    }
  }
  return result;
}

export function overheadRow(result: Overhead): [string, string] {
  const pair = (samples: number[]) =>
    `${percentile(samples, 50).toFixed(2)} / ${percentile(samples, 99).toFixed(2)}`;
  return [
    `queue overhead, ${result.queue}`,
    `p50/p99 ms: enqueue ${pair(result.enqueue)} · handler start ${pair(result.start)} · done ${pair(result.done)} (n=${result.done.length})`,
  ];
}
