import { randomBytes } from "node:crypto";
import { createSlackAdapter, type SlackAdapter } from "../src/adapters/slack/index.js";
import { loadConfig } from "../src/config.js";
import { ConversationService, storeLedger } from "../src/conversations/index.js";
import { ScriptedLlm } from "../src/llm/scripted.js";
import { silentLogger } from "../src/log.js";
import { openJobQueue, openStore } from "../src/store/index.js";
import { type RecordedCall, SlackEmulator } from "../test/emulators/slack/index.js";
import { dropSchema, postgresUrl } from "../test/support/databases.js";
import { withSearchStandIn } from "../test/support/prompt-agents.js";
import { TEST_SETTINGS } from "../test/support/service.js";
import { type Figures, figure, percentile, table } from "./stats.js";

/**
 * Issue 11's benchmark: progress as Slack's native stream against the edited card, for a 6-step plan
 * (three parallel steps, two that wait on them, one last), with the model faked at a fixed delay per
 * call. The real Bolt app in HTTP mode talks to the emulator, with the adapter's default spacing of
 * one write per second per message. Per run, one at a time (so the latency is not load):
 * - the Slack Web API calls a run costs (its progress and its answer);
 * - the time from sending the mention to the first write that shows a task (stream: a task_update
 *   chunk; card: an edit that lists a step).
 * Printed, never asserted. On Postgres when it answers on 127.0.0.1:5432, else PGlite.
 */
const MODEL_MS = 200;
const RUNS = 12;
const CHANNEL = "C0GENERAL";
const USER = "U0ALICE";

const SIX_STEPS = () => ({
  steps: [
    {
      id: 1,
      agent: "search",
      task: "find the market size",
      description: "",
      depends_on: [],
      needs_approval: false,
    },
    {
      id: 2,
      agent: "web",
      task: "read the vendors' pages",
      description: "",
      depends_on: [],
      needs_approval: false,
    },
    {
      id: 3,
      agent: "data",
      task: "load last year's sales",
      description: "",
      depends_on: [],
      needs_approval: false,
    },
    {
      id: 4,
      agent: "data",
      task: "compare vendors",
      description: "",
      depends_on: [1, 2],
      needs_approval: false,
    },
    {
      id: 5,
      agent: "data",
      task: "project this year",
      description: "",
      depends_on: [3],
      needs_approval: false,
    },
    {
      id: 6,
      agent: "search",
      task: "summarise the risks",
      description: "",
      depends_on: [4, 5],
      needs_approval: false,
    },
  ],
});

type Mode = "stream" | "card";

interface RunMeasure {
  calls: number;
  firstTaskMs: number;
}

function showsTask(call: RecordedCall, mode: Mode): boolean {
  if (mode === "stream") return JSON.stringify(call.params.chunks ?? []).includes('"task_update"');
  return call.method === "chat.update" && JSON.stringify(call.params.blocks ?? []).includes("*#1*");
}

async function measure(mode: Mode, url: string | undefined): Promise<RunMeasure[]> {
  const schema = `octo_bench_${randomBytes(4).toString("hex")}`;
  const store = await openStore({ postgresUrl: url, schema: url ? schema : "public", poolMax: 10 });
  const emulator = await SlackEmulator.start({ seed: { aiApps: true } });
  const logger = silentLogger();
  const service = new ConversationService({
    // The real search agent finds nothing without a knowledge base and calls no model: its stand-in does.
    agents: withSearchStandIn(),
    store,
    llm: new ScriptedLlm({ delayMs: MODEL_MS, handlers: { plan: SIX_STEPS } }),
    logger,
    settings: { ...TEST_SETTINGS, approvers: [] },
    queue: await openJobQueue({
      db: store.db,
      postgresUrl: url,
      schema: store.db.schema,
      concurrency: 8,
      logger,
    }),
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_SIGNING_SECRET: emulator.signingSecret,
    SLACK_API_URL: emulator.apiUrl,
    OCTO_SLACK_PROGRESS: mode,
    OCTO_LOG_LEVEL: "silent",
  });
  const adapter = createSlackAdapter(
    { config, conversations: service, ledger: storeLedger(store), logger },
    { listen: { host: "127.0.0.1", port: 0 } },
  ) as SlackAdapter;
  await adapter.start();
  await service.start();
  const http = emulator.http(adapter.eventsUrl as string);
  const measures: RunMeasure[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const from = emulator.calls.at(-1)?.seq ?? 0;
      const mention = emulator.payloads.mention({
        user: USER,
        channel: CHANNEL,
        text: `size the market ${i}`,
      });
      const sent = Date.now();
      await http.event(mention.body);
      await adapter.idle();
      // One run at a time, waited for: every call since the mention is this run's.
      const calls = emulator.calls.filter((call) => call.seq > from);
      const first = calls.find((call) => showsTask(call, mode));
      if (!first) throw new Error(`no task shown in ${mode} mode`);
      measures.push({ calls: calls.length, firstTaskMs: first.at - sent });
    }
  } finally {
    await service.close();
    await adapter.stop();
    await emulator.close();
    await store.close();
    if (url) await dropSchema(url, schema);
  }
  return measures;
}

const median = (values: number[]) => percentile(values, 50);

export default async function run(): Promise<Figures> {
  const url = await postgresUrl();
  const stream = await measure("stream", url);
  const card = await measure("card", url);
  const calls = (m: RunMeasure[]) => m.map((each) => each.calls);
  const first = (m: RunMeasure[]) => m.map((each) => each.firstTaskMs);
  const row = (label: string, m: RunMeasure[]): [string, string] => [
    label,
    `${median(calls(m))} calls per run (min ${Math.min(...calls(m))}, max ${Math.max(...calls(m))}) · first task p50 ${median(first(m)).toFixed(0)} ms, p99 ${percentile(first(m), 99).toFixed(0)} ms`,
  ];
  table(
    `${url ? "postgres" : "pglite"}: a 6-step plan, model faked at ${MODEL_MS} ms per call, ${RUNS} runs one at a time, one write per second per message`,
    [
      row("stream (chat.*Stream)", stream),
      row("card (chat.postMessage + chat.update)", card),
      [
        "stream / card",
        `calls ${(median(calls(stream)) / median(calls(card))).toFixed(2)}× · time to the first task ${(median(first(stream)) / median(first(card))).toFixed(2)}×`,
      ],
    ],
  );
  return {
    "first visible progress p95, Slack stream": figure(percentile(first(stream), 95), "ms"),
    "first visible progress p95, Slack card": figure(percentile(first(card), 95), "ms"),
  };
}
