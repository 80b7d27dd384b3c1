import { randomBytes } from "node:crypto";
import { createDiscordAdapter, type DiscordAdapter } from "../src/adapters/discord/index.js";
import { loadConfig } from "../src/config.js";
import { ConversationService, storeLedger } from "../src/conversations/index.js";
import { ScriptedLlm } from "../src/llm/scripted.js";
import { silentLogger } from "../src/log.js";
import { openJobQueue, openStore, type Store } from "../src/store/index.js";
import { ALICE, DiscordEmulator, type EmulatedMessage, GENERAL } from "../test/emulators/discord/index.js";
import { dropSchema, postgresUrl } from "../test/support/databases.js";
import { withSearchStandIn } from "../test/support/prompt-agents.js";
import { TEST_SETTINGS } from "../test/support/service.js";
import { type Figures, figure, keepInFlight, percentile, table } from "./stats.js";

/**
 * Issue 10's benchmark: the real discord.js client over the local Discord emulator's gateway and REST,
 * with the model faked at a fixed delay per call.
 * - throughput: 50 conversations kept in flight (mention -> thread -> progress message -> answer) until
 *   300 have finished: completed conversations per second through the whole Discord path;
 * - then probes sent one at a time while the same load runs again: the defer latency (interaction
 *   dispatched on the gateway -> its first response at the REST callback) of `/octo ask` and of an
 *   approval button click.
 * Discord's own deadline for a first response is 3 s. Printed, never asserted. The emulator shares the
 * process (and its CPU) with the bot, so both numbers are on the cautious side.
 */
const MODEL_MS = 100;
const IN_FLIGHT = 50;
const PROBES = 100;
const PROBE_GAP_MS = 20;
const CONVERSATIONS = 300;

interface Stack {
  emulator: DiscordEmulator;
  adapter: DiscordAdapter;
}

const CALLBACK = "POST /interactions/:id/:token/callback";
const POST = "POST /channels/:id/messages";

/** A mention's answer: the second message the bot posts in the thread started on it (the first is the progress). */
function answered(emulator: DiscordEmulator, mention: EmulatedMessage) {
  return emulator.waitForCall(POST, (call) => call.params.id === mention.id, { nth: 2, timeoutMs: 300_000 });
}

/** Time from the interaction's dispatch to its first response. */
async function deferLatency(
  emulator: DiscordEmulator,
  deliver: () => Promise<{ id: string }>,
): Promise<number> {
  const started = performance.now();
  const delivery = await deliver();
  await emulator.waitForCall(CALLBACK, (call) => call.params.id === delivery.id, { timeoutMs: 30_000 });
  return performance.now() - started;
}

/** Approval cards to click during the load, made beforehand so making them is not measured. */
async function approvalCards(stack: Stack): Promise<EmulatedMessage[]> {
  const mentions = Array.from({ length: PROBES }, (_, i) =>
    stack.emulator.userSends({
      channel: GENERAL,
      author: ALICE,
      mentionBot: true,
      content: `draft a contract ${i}`,
    }),
  );
  await Promise.all(
    mentions.map((mention) =>
      stack.emulator.waitForCall(
        POST,
        (call) => call.params.id === mention.id && JSON.stringify(call.body).includes("octo:approve:"),
        { timeoutMs: 300_000 },
      ),
    ),
  );
  await stack.adapter.idle();
  return mentions.map((mention) => {
    const card = stack.emulator
      .messages(mention.id)
      .find((message) => JSON.stringify(message.components).includes("octo:approve:"));
    if (!card) throw new Error("no approval card to click");
    return card;
  });
}

/** Keeps IN_FLIGHT conversations running until `until` resolves and at least CONVERSATIONS finished. */
function load(stack: Stack, until: Promise<unknown>) {
  return keepInFlight(IN_FLIGHT, CONVERSATIONS, until, async (n) => {
    const mention = stack.emulator.userSends({
      channel: GENERAL,
      author: ALICE,
      mentionBot: true,
      content: `search for kelp ${n}`,
    });
    await answered(stack.emulator, mention);
  });
}

async function probe(stack: Stack, cards: EmulatedMessage[]) {
  const commands: number[] = [];
  const clicks: number[] = [];
  // Let the load reach its 50 conversations first.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (let i = 0; i < PROBES; i++) {
    commands.push(
      await deferLatency(stack.emulator, () =>
        stack.emulator.userRunsCommand({
          channel: GENERAL,
          author: ALICE,
          subcommand: "ask",
          options: { request: `search for eels ${i}` },
        }),
      ),
    );
    const card = cards[i];
    const customId = card ? JSON.stringify(card.components).match(/octo:approve:[\w-]+/)?.[0] : undefined;
    if (card && customId)
      clicks.push(
        await deferLatency(stack.emulator, () =>
          stack.emulator.userClicks({ message: card, customId, author: ALICE }),
        ),
      );
    await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
  }
  return { commands, clicks };
}

function latencyRow(label: string, samples: number[]): [string, string] {
  return [
    label,
    `p50 ${percentile(samples, 50).toFixed(1)} ms · p99 ${percentile(samples, 99).toFixed(1)} ms (Discord's deadline 3000 ms; n=${samples.length})`,
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
  const emulator = await DiscordEmulator.start();
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
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    OCTO_LOG_LEVEL: "silent",
  });
  const adapter = createDiscordAdapter(
    { config, conversations: service, ledger: storeLedger(store), logger },
    { destroyTimeoutMs: 3_000 },
  ) as DiscordAdapter;
  await adapter.start();
  await service.start();
  const stack: Stack = { emulator, adapter };
  try {
    // Throughput first, on its own: the probes below start runs of their own, which would share the CPU.
    const loaded = await load(stack, Promise.resolve());
    await adapter.idle();
    const cards = await approvalCards(stack);
    const probes = probe(stack, cards);
    const [{ commands, clicks }] = await Promise.all([probes, load(stack, probes)]);
    await adapter.idle();
    table(
      `${kind}: Discord gateway + REST, model faked at ${MODEL_MS} ms per call, ${IN_FLIGHT} conversations in flight`,
      [
        latencyRow("defer, /octo ask", commands),
        latencyRow("defer, approval button click", clicks),
        [
          "completed conversations",
          `${(loaded.completed / loaded.seconds).toFixed(1)} /s (${loaded.completed} in ${loaded.seconds.toFixed(1)} s)`,
        ],
        ["Discord REST calls answered", String(emulator.calls.entries.length)],
      ],
    );
    const all = [...commands, ...clicks];
    return {
      [`Discord defer p50, ${kind}`]: figure(percentile(all, 50), "ms"),
      [`Discord defer p99, ${kind}`]: figure(percentile(all, 99), "ms", { target: "< 3000" }),
      [`Discord conversations/s, ${kind}`]: figure(loaded.completed / loaded.seconds, "/s"),
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
