import { randomBytes } from "node:crypto";
import { createSlackAdapter, type SlackAdapter } from "../src/adapters/slack/index.js";
import { loadConfig } from "../src/config.js";
import { ConversationService, storeLedger } from "../src/conversations/index.js";
import { ScriptedLlm } from "../src/llm/scripted.js";
import { silentLogger } from "../src/log.js";
import { openJobQueue, openStore, type Store } from "../src/store/index.js";
import { type HttpDelivery, SlackEmulator } from "../test/emulators/slack/index.js";
import { dropSchema, postgresUrl } from "../test/support/databases.js";
import { withSearchStandIn } from "../test/support/prompt-agents.js";
import { TEST_SETTINGS } from "../test/support/service.js";
import { type Figures, figure, keepInFlight, percentile, table } from "./stats.js";

/**
 * Issue 6's benchmark: the real Bolt app in HTTP mode (signature checks included) against the local
 * Slack emulator, with the model faked at a fixed delay per call.
 * - throughput: 50 conversations kept in flight (mention -> progress card -> answer posted) until 300
 *   have finished: completed conversations per second through the whole Slack path;
 * - then probes sent one at a time while the same load runs again: the ack latency (request sent ->
 *   HTTP 200) of an app_mention event, an `/octo` command and an approval button click.
 * Targets (README "Benchmarks"): ack p99 < 50 ms; >= 30 conversations/s on Postgres. Printed, never asserted.
 * The emulator shares the process (and its CPU) with the bot, so both numbers are on the cautious side.
 */
const MODEL_MS = 100;
const IN_FLIGHT = 50;
const PROBES = 100;
const PROBE_GAP_MS = 20;
const CONVERSATIONS = 300;
const CHANNEL = "C0GENERAL";
const USER = "U0ALICE";

interface Stack {
  emulator: SlackEmulator;
  service: ConversationService;
  adapter: SlackAdapter;
  http: HttpDelivery;
}

async function timed(send: () => Promise<{ status: number }>): Promise<number> {
  const started = performance.now();
  const result = await send();
  if (result.status !== 200) throw new Error(`Slack request answered ${result.status}`);
  return performance.now() - started;
}

/**
 * Waits for a thread's answer: the message with the feedback buttons, which only an answer has (an
 * error note or a refusal would not count as a completed conversation).
 */
function answered(emulator: SlackEmulator, threadTs: string) {
  return emulator.waitForCall(
    "chat.postMessage",
    (call) =>
      call.params.thread_ts === threadTs &&
      JSON.stringify(call.params.blocks ?? []).includes("octo_feedback"),
    { timeoutMs: 300_000 },
  );
}

/** Approval cards to click during the load, made beforehand so making them is not measured. */
async function approvalCards(stack: Stack) {
  const mentions = Array.from({ length: PROBES }, (_, i) =>
    stack.emulator.payloads.mention({ user: USER, channel: CHANNEL, text: `draft a contract ${i}` }),
  );
  await Promise.all(mentions.map((m) => stack.http.event(m.body)));
  await stack.adapter.idle();
  return mentions.map((m) => {
    const card = stack.emulator.workspace
      .thread(CHANNEL, m.ts)
      .find((message) => JSON.stringify(message.blocks ?? []).includes('"octo_approve"'));
    if (!card) throw new Error("no approval card to click");
    return card;
  });
}

/** Keeps IN_FLIGHT conversations running until `until` resolves and at least CONVERSATIONS finished. */
function load(stack: Stack, until: Promise<unknown>) {
  return keepInFlight(IN_FLIGHT, CONVERSATIONS, until, async (n) => {
    const mention = stack.emulator.payloads.mention({
      user: USER,
      channel: CHANNEL,
      text: `search for kelp ${n}`,
    });
    await stack.http.event(mention.body);
    await answered(stack.emulator, mention.ts);
  });
}

async function probe(stack: Stack, cards: Awaited<ReturnType<typeof approvalCards>>) {
  const events: number[] = [];
  const commands: number[] = [];
  const actions: number[] = [];
  // Let the load reach its 50 conversations first.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (let i = 0; i < PROBES; i++) {
    const mention = stack.emulator.payloads.mention({
      user: USER,
      channel: CHANNEL,
      text: `search for rays ${i}`,
    });
    events.push(await timed(() => stack.http.event(mention.body)));
    const command = stack.emulator.payloads.command({
      user: USER,
      channel: CHANNEL,
      text: `search for eels ${i}`,
    });
    commands.push(await timed(() => stack.http.command(command)));
    const card = cards[i];
    if (card) {
      const click = stack.emulator.payloads.blockAction({
        user: USER,
        message: card,
        actionId: "octo_approve",
      });
      actions.push(await timed(() => stack.http.interaction(click)));
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
  }
  return { events, commands, actions };
}

function latencyRow(label: string, samples: number[]): [string, string] {
  return [
    label,
    `p50 ${percentile(samples, 50).toFixed(1)} ms · p99 ${percentile(samples, 99).toFixed(1)} ms (target p99 < 50 ms; n=${samples.length})`,
  ];
}

async function onDatabase(kind: "pglite" | "postgres"): Promise<Figures> {
  const url = kind === "postgres" ? await postgresUrl() : undefined;
  if (kind === "postgres" && !url) {
    console.log("postgres: no server answers on 127.0.0.1:5432; skipped");
    return {};
  }
  const schema = `octo_bench_${randomBytes(4).toString("hex")}`;
  const store: Store = await openStore({ postgresUrl: url, schema: url ? schema : "public", poolMax: 20 });
  const emulator = await SlackEmulator.start({ triggerTtlMs: 600_000 });
  const logger = silentLogger();
  const service = new ConversationService({
    // The real search agent finds nothing without a knowledge base and calls no model: its stand-in does.
    agents: withSearchStandIn(),
    store,
    llm: new ScriptedLlm({ delayMs: MODEL_MS }),
    logger,
    settings: { ...TEST_SETTINGS, approvers: [] },
    queue: await openJobQueue({
      db: store.db,
      postgresUrl: url,
      schema: store.db.schema,
      concurrency: 64,
      logger,
    }),
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_SIGNING_SECRET: emulator.signingSecret,
    SLACK_API_URL: emulator.apiUrl,
    OCTO_LOG_LEVEL: "silent",
  });
  const adapter = createSlackAdapter(
    { config, conversations: service, ledger: storeLedger(store), logger: silentLogger() },
    { listen: { host: "127.0.0.1", port: 0 } },
  ) as SlackAdapter;
  await adapter.start();
  await service.start();
  const stack: Stack = { emulator, service, adapter, http: emulator.http(adapter.eventsUrl as string) };
  try {
    // Throughput first, on its own: the probes below start runs of their own, which would share the CPU.
    const loaded = await load(stack, Promise.resolve());
    await adapter.idle();
    const cards = await approvalCards(stack);
    const probes = probe(stack, cards);
    const [{ events, commands, actions }] = await Promise.all([probes, load(stack, probes)]);
    await adapter.idle();
    table(
      `${kind}: Slack HTTP mode, model faked at ${MODEL_MS} ms per call, ${IN_FLIGHT} conversations in flight`,
      [
        latencyRow("ack, app_mention event", events),
        latencyRow("ack, /octo command", commands),
        latencyRow("ack, approval button click", actions),
        [
          "completed conversations",
          `${(loaded.completed / loaded.seconds).toFixed(1)} /s (${loaded.completed} in ${loaded.seconds.toFixed(1)} s; target >= 30 /s on Postgres)`,
        ],
        ["Slack Web API calls answered", String(emulator.calls.length)],
      ],
    );
    const all = [...events, ...commands, ...actions];
    return {
      [`Slack ack p50, ${kind}`]: figure(percentile(all, 50), "ms"),
      [`Slack ack p99, ${kind}`]: figure(percentile(all, 99), "ms", { target: "< 50" }),
      [`Slack conversations/s, ${kind}`]: figure(
        loaded.completed / loaded.seconds,
        "/s",
        kind === "postgres" ? { target: ">= 30" } : {},
      ),
    };
  } finally {
    await service.close();
    await adapter.stop();
    await emulator.close();
    await store.close();
    if (url) await dropSchema(url, schema);
  }
}

export default async function run(): Promise<Figures> {
  return { ...(await onDatabase("pglite")), ...(await onDatabase("postgres")) };
}
