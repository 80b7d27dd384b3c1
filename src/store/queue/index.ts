import type { Logger } from "../../log.js";
import { OctoError } from "../../vocabulary/index.js";
import type { Database } from "../database.js";
import { openGraphileQueue } from "./graphile.js";
import { InProcessJobQueue } from "./in-process.js";
import type { JobQueue } from "./types.js";

export type { ScheduledTask } from "./schedule.js";
export type { JobHandler, JobQueue, NewJob, QueuedJob } from "./types.js";

export interface JobQueueOptions {
  db: Database;
  /** Required on a Postgres server: graphile-worker keeps connections of its own. */
  postgresUrl?: string | undefined;
  /** The store's schema. */
  schema: string;
  /** The most jobs this process runs at once (OCTO_CONCURRENCY). */
  concurrency: number;
  logger: Logger;
  /** Names this process's queue connections and log lines (Postgres only). */
  workerId?: string | undefined;
  /** How often to look for jobs held by dead processes (Postgres only; default 5 s). */
  sweepIntervalMs?: number | undefined;
}

/**
 * graphile-worker on a Postgres server (any number of processes); the in-process queue on PGlite, or
 * when no connection string is given (one process).
 */
export async function openJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
    throw new OctoError(
      "internal",
      `the job queue's concurrency must be a positive integer, not ${options.concurrency}`,
    );
  // Without a server's connection string (PGlite, or one process on a server: benches, tools) the
  // in-process queue serves; it is only safe with one process per database.
  if (options.db.kind === "pglite" || !options.postgresUrl)
    return new InProcessJobQueue({
      db: options.db,
      concurrency: options.concurrency,
      logger: options.logger,
    });
  return openGraphileQueue({
    db: options.db,
    postgresUrl: options.postgresUrl,
    schema: options.schema,
    concurrency: options.concurrency,
    logger: options.logger,
    workerId: options.workerId,
    sweepIntervalMs: options.sweepIntervalMs,
  });
}
