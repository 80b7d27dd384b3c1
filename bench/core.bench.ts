import { randomBytes } from "node:crypto";
import { ConversationService, collect, type RunEvent } from "../src/conversations/index.js";
import { ScriptedLlm } from "../src/llm/scripted.js";
import { silentLogger } from "../src/log.js";
import { openJobQueue, openStore, type Store } from "../src/store/index.js";
import { dropSchema, postgresUrl } from "../test/support/databases.js";
import { withSearchStandIn } from "../test/support/prompt-agents.js";
import { TEST_SETTINGS } from "../test/support/service.js";
import { type Figures, figure, percentile, table } from "./stats.js";

/**
 * Issue 3's engine benchmark, with every model call faked at a fixed 200 ms:
 * - engine overhead: share of a 6-step sequential run's wall time not spent waiting on the model
 *   (the model's critical path is intent + plan + 6 steps + synthesis = 9 calls);
 * - parallel speed-up: 4 independent steps vs the same 4 chained, measured over the execution phase
 *   (first step start to last step end) and over the whole run. Target: >= 3.2x for the execution phase.
 */
const MODEL_MS = 200;
const RUNS = 5;

function planHandler(count: number, chained: boolean) {
  return () => ({
    steps: Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      agent: "search",
      task: `look up fact ${i + 1}`,
      description: `fact ${i + 1}`,
      depends_on: chained && i > 0 ? [i] : [],
      needs_approval: false,
    })),
  });
}

function executionMs(events: RunEvent[]): number {
  const starts = events.filter((e) => e.type === "step_started").map((e) => Date.parse(e.at));
  const ends = events.filter((e) => e.type === "step_finished").map((e) => Date.parse(e.at));
  return Math.max(...ends) - Math.min(...starts);
}

async function measure(store: Store, steps: number, chained: boolean) {
  const logger = silentLogger();
  const service = new ConversationService({
    // The real search agent finds nothing without a knowledge base and calls no model: its stand-in does.
    agents: withSearchStandIn(),
    store,
    llm: new ScriptedLlm({ delayMs: MODEL_MS, handlers: { plan: planHandler(steps, chained) } }),
    logger,
    settings: TEST_SETTINGS,
    queue: await openJobQueue({ db: store.db, schema: store.db.schema, concurrency: 8, logger }),
  });
  const walls: number[] = [];
  const executions: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const events = await collect(
      service.send({
        platform: "console",
        threadKey: `bench:${steps}:${chained}:${run}`,
        user: "bench",
        text: "search",
      }),
    );
    walls.push(performance.now() - started);
    executions.push(executionMs(events));
    if (!events.some((e) => e.type === "result")) throw new Error("a benchmark run did not finish");
  }
  await service.close();
  return { wall: percentile(walls, 50), execution: percentile(executions, 50), p95: percentile(walls, 95) };
}

async function onDatabase(kind: "pglite" | "postgres"): Promise<Figures> {
  const url = kind === "postgres" ? await postgresUrl() : undefined;
  if (kind === "postgres" && !url) {
    console.log("postgres: no server answers on 127.0.0.1:5432; skipped");
    return {};
  }
  const schema = `octo_bench_${randomBytes(4).toString("hex")}`;
  const store = await openStore({ postgresUrl: url, schema: url ? schema : "public" });
  try {
    const sequential6 = await measure(store, 6, true);
    const modelPath = 9 * MODEL_MS;
    const overhead = ((sequential6.wall - modelPath) / sequential6.wall) * 100;
    const parallel4 = await measure(store, 4, false);
    const chained4 = await measure(store, 4, true);
    table(`${kind}: model faked at ${MODEL_MS} ms per call, median of ${RUNS} runs`, [
      [
        "6-step chained run, wall",
        `${sequential6.wall.toFixed(0)} ms (p95 ${sequential6.p95.toFixed(0)} ms)`,
      ],
      ["model critical path", `${modelPath} ms`],
      ["engine overhead", `${overhead.toFixed(1)} % of wall time`],
      ["4 independent steps, execution phase", `${parallel4.execution.toFixed(0)} ms`],
      ["4 chained steps, execution phase", `${chained4.execution.toFixed(0)} ms`],
      [
        "speed-up, execution phase",
        `${(chained4.execution / parallel4.execution).toFixed(2)}x (target >= 3.2x)`,
      ],
      ["speed-up, whole run", `${(chained4.wall / parallel4.wall).toFixed(2)}x`],
    ]);
    return {
      [`engine overhead, ${kind}`]: figure(overhead, "% of wall"),
      [`parallel speed-up (4 steps), ${kind}`]: figure(chained4.execution / parallel4.execution, "x", {
        target: ">= 3.2",
      }),
    };
  } finally {
    await store.close();
    if (url) await dropSchema(url, schema);
  }
}

export default async function run(): Promise<Figures> {
  return { ...(await onDatabase("pglite")), ...(await onDatabase("postgres")) };
}
