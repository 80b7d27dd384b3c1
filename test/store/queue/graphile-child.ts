/**
 * A worker process for the liveness tests: opens a graphile queue on the given schema, prints a line
 * when it takes a job and then never finishes it, so the test can kill it mid-job.
 * Usage: node --import tsx test/store/queue/graphile-child.ts <postgresUrl> <schema>
 */
import pino from "pino";
import { openPostgres } from "../../../src/store/postgres.js";
import { openGraphileQueue } from "../../../src/store/queue/graphile.js";

const [url, schema] = process.argv.slice(2);
if (!url || !schema) throw new Error("usage: graphile-child.ts <postgresUrl> <schema>");
const db = await openPostgres({ connectionString: url, schema, max: 2 });
const queue = await openGraphileQueue({
  db,
  postgresUrl: url,
  schema,
  concurrency: 1,
  logger: pino({ level: "silent" }),
  workerId: `child-${process.pid}`,
  sweepIntervalMs: 300,
});
await queue.start(async (job) => {
  process.stdout.write(`${JSON.stringify({ started: job.id, attempt: job.attempt })}\n`);
  await new Promise(() => {});
  return "done";
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
