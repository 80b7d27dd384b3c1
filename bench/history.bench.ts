import { randomBytes } from "node:crypto";
import { ConversationService, collect } from "../src/conversations/index.js";
import { ScriptedLlm } from "../src/llm/scripted.js";
import { silentLogger } from "../src/log.js";
import { openJobQueue, openStore, type Store } from "../src/store/index.js";
import { dropSchema, postgresUrl } from "../test/support/databases.js";
import { TEST_SETTINGS } from "../test/support/service.js";
import { percentile, table } from "./stats.js";

/**
 * Issue 16, bug 4: `history` of one conversation as it grows to 1, 50 and 110 turns (about ten
 * checkpoints a turn) on the Postgres server, the scripted model answering at once. It used to walk up to
 * 1,000 checkpoints with their blobs (47 ms, 3.5 s, 16 s); it now reads a page of the turn index, and the
 * state of only the checkpoints it lists (none for the chat command's reply). Also measured: the first
 * read of a thread the index has no rows for (one written before it), which indexes it from its
 * checkpoints.
 */
const SIZES = [1, 50, 110];
const READS = 5;
const THREAD = "bench:history";

async function grow(service: ConversationService, from: number, to: number): Promise<void> {
  for (let n = from + 1; n <= to; n += 1) {
    const events = await collect(
      service.send({ platform: "console", threadKey: THREAD, user: "bench", text: `search item ${n}` }),
    );
    if (!events.some((e) => e.type === "result")) throw new Error(`turn ${n} did not finish`);
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function spread(samples: readonly number[]): string {
  return `p50 ${percentile(samples, 50).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms`;
}

async function measure(store: Store): Promise<[string, string][]> {
  const service = new ConversationService({
    store,
    llm: new ScriptedLlm(),
    logger: silentLogger(),
    settings: TEST_SETTINGS,
    queue: await openJobQueue({
      db: store.db,
      schema: store.db.schema,
      concurrency: 4,
      logger: silentLogger(),
    }),
  });
  const rows: [string, string][] = [];
  let turns = 0;
  try {
    for (const size of SIZES) {
      await grow(service, turns, size);
      turns = size;
      const reads: number[] = [];
      const counts: number[] = [];
      for (let i = 0; i < READS; i += 1) {
        reads.push(await timed(() => service.history(THREAD)));
        counts.push(await timed(() => service.history(THREAD, { limit: 10, checkpoints: 0 })));
      }
      await store.db.query("DELETE FROM octo_turns WHERE thread_id = $1", [THREAD]);
      const unindexed = await timed(() => service.history(THREAD));
      rows.push(
        [`${size} turn(s), history (20 turns, 10 checkpoints)`, spread(reads)],
        [`${size} turn(s), history as /octo history (10 turns)`, spread(counts)],
        [`${size} turn(s), first read without index rows`, `${unindexed.toFixed(1)} ms`],
      );
    }
  } finally {
    await service.close();
  }
  return rows;
}

export default async function run(): Promise<void> {
  const url = await postgresUrl();
  if (!url) {
    console.log("postgres: no server answers on 127.0.0.1:5432; skipped");
    return;
  }
  const schema = `octo_bench_${randomBytes(4).toString("hex")}`;
  const store = await openStore({ postgresUrl: url, schema });
  try {
    table(`postgres: history of one conversation, ${READS} reads per size`, await measure(store));
  } finally {
    await store.close();
    await dropSchema(url, schema);
  }
}
