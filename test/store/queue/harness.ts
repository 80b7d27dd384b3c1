import { randomBytes } from "node:crypto";
import pino from "pino";
import type { Logger } from "../../../src/log.js";
import { openGraphileQueue } from "../../../src/store/queue/graphile.js";
import { workerSchemaFor } from "../../../src/store/queue/graphile-sql.js";
import { InProcessJobQueue } from "../../../src/store/queue/in-process.js";
import type { JobHandler, JobQueue, QueuedJob } from "../../../src/store/queue/types.js";
import { dropSchema, openTestStore, postgresUrl, type TestStore } from "../../support/databases.js";

/** Test sweeps are fast so a dead worker's jobs come back within a second or so. */
export const TEST_SWEEP_MS = 300;

export interface QueueOptions {
  concurrency?: number;
  logger?: Logger;
  workerId?: string;
}

/** A store plus the queues opened on it; `destroy` stops them all and removes every schema. */
export interface QueueFixture {
  store: TestStore;
  openQueue(options?: QueueOptions): Promise<JobQueue>;
  destroy(): Promise<void>;
}

export interface QueueTarget {
  name: string;
  /** Why the target cannot run here, if it cannot. */
  unavailable?: string;
  open(): Promise<QueueFixture>;
}

const url = await postgresUrl();

export const TARGETS: readonly QueueTarget[] = [
  { name: "in-process on PGlite", open: () => fixture("pglite", "in-process") },
  { name: "in-process on Postgres", open: () => fixture("postgres", "in-process") },
  {
    name: "graphile-worker on Postgres",
    ...(url ? {} : { unavailable: "no Postgres server answers" }),
    open: () => fixture("postgres", "graphile"),
  },
];

export const GRAPHILE_URL = url;

async function fixture(kind: "pglite" | "postgres", impl: "in-process" | "graphile"): Promise<QueueFixture> {
  const store = await openTestStore(kind);
  const queues: JobQueue[] = [];
  return {
    store,
    async openQueue(options = {}) {
      const concurrency = options.concurrency ?? 4;
      const logger =
        options.logger ?? pino({ level: process.env.QUEUE_TEST_LOG ?? "silent" }, pino.destination(2));
      const queue =
        impl === "in-process"
          ? new InProcessJobQueue({ db: store.db, concurrency, logger })
          : await openGraphileQueue({
              db: store.db,
              postgresUrl: url!,
              schema: store.db.schema,
              concurrency,
              logger,
              workerId: options.workerId ?? `test-${randomBytes(4).toString("hex")}`,
              sweepIntervalMs: TEST_SWEEP_MS,
            });
      queues.push(queue);
      return queue;
    },
    async destroy() {
      await Promise.all(queues.map((queue) => queue.stop(1_000)));
      await store.destroy();
      if (impl === "graphile" && url) await dropSchema(url, workerSchemaFor(store.db.schema));
    },
  };
}

/** A logger keeping its lines, to check what was logged. */
export function capturingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

export interface Span {
  job: QueuedJob;
  start: number;
  end?: number;
}

/** Records when each job ran; `behaviour` decides what a job does (by default, sleeps `ms`). */
export function recorder(behaviour: (job: QueuedJob, signal: AbortSignal) => Promise<"done" | "release">) {
  const spans: Span[] = [];
  let live = 0;
  let peak = 0;
  const handler: JobHandler = async (job, signal) => {
    const span: Span = { job, start: performance.now() };
    spans.push(span);
    live += 1;
    peak = Math.max(peak, live);
    try {
      return await behaviour(job, signal);
    } finally {
      live -= 1;
      span.end = performance.now();
    }
  };
  return {
    handler,
    spans,
    get peak() {
      return peak;
    },
    finished: () => spans.filter((span) => span.end !== undefined),
    names: () => spans.map((span) => span.job.payload.name),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}
