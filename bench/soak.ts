import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { createSlackAdapter, type SlackAdapter } from "../src/adapters/slack/index.js";
import { loadConfig } from "../src/config.js";
import { ConversationService, storeLedger } from "../src/conversations/index.js";
import { ScriptedLlm } from "../src/llm/scripted.js";
import { silentLogger } from "../src/log.js";
import { openJobQueue, openStore } from "../src/store/index.js";
import { SlackEmulator } from "../test/emulators/slack/index.js";
import { dropSchema, postgresUrl } from "../test/support/databases.js";
import { TEST_SETTINGS } from "../test/support/service.js";
import { percentile, table } from "./stats.js";

/**
 * `npm run soak`: SOAK_THREADS conversations kept going for SOAK_SECONDS through the real Bolt app in
 * HTTP mode and the Slack emulator, the model scripted at SOAK_MODEL_MS per call. Each conversation is
 * from another person (so per-person memory is exercised) and counts only once its answer (the message
 * with the feedback buttons) is posted; a non-200 ack, an answer that never comes or an error logged is
 * an error. Reports RSS at start / end / peak, heap, event-loop lag p50 / p99 and the adapter's
 * in-memory bookkeeping, which must stay bounded however long it runs.
 */
export interface SoakOptions {
  seconds: number;
  threads: number;
  modelMs?: number;
  database?: "pglite" | "postgres";
  /** Lowered by the CI test so the bound is reached in seconds. */
  userLocalesCapacity?: number;
  /** How long one conversation may take before it counts as an error. */
  answerTimeoutMs?: number;
}

export interface SoakReport {
  seconds: number;
  threads: number;
  database: "pglite" | "postgres";
  completed: number;
  errors: number;
  errorSamples: string[];
  people: number;
  rssMiB: { start: number; end: number; peak: number };
  heapMiB: { start: number; end: number };
  /** Live heap (after a full GC, with --expose-gc) sampled ten times through the run. */
  heapSamples: { completed: number; heapMiB: number }[];
  /**
   * Heap growth per completed conversation past the first fifth of the run (warm-up: caches, JIT), as
   * a least-squares slope over the samples; flat memory reads as a few KiB either way.
   */
  heapKiBPerConversation: number | undefined;
  lagMs: { p50: number; p99: number; max: number };
  conversationMs: { p50: number; p99: number };
  bookkeeping: ReturnType<SlackAdapter["bookkeeping"]>;
}

const MiB = 1024 * 1024;

/** Error-level log lines only, counted (and a few kept) rather than printed. */
function errorCounter(samples: string[], count: { n: number }) {
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        count.n += 1;
        if (samples.length < 5) samples.push(line.slice(0, 300));
      }
      done();
    },
  });
  return pino({ level: "error" }, sink);
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const database = options.database ?? "pglite";
  const url = database === "postgres" ? await postgresUrl() : undefined;
  const schema = `octo_soak_${randomBytes(4).toString("hex")}`;
  const store = await openStore({ postgresUrl: url, schema: url ? schema : "public", poolMax: 20 });
  const emulator = await SlackEmulator.start({ triggerTtlMs: 600_000, socketPingIntervalMs: 0 });
  const errorSamples: string[] = [];
  const logged = { n: 0 };
  const logger = errorCounter(errorSamples, logged);
  const service = new ConversationService({
    store,
    llm: new ScriptedLlm({ delayMs: options.modelMs ?? 50, recordCalls: false }),
    logger,
    settings: { ...TEST_SETTINGS, approvers: [], concurrency: Math.max(8, options.threads) },
    queue: await openJobQueue({
      db: store.db,
      postgresUrl: url,
      schema: store.db.schema,
      concurrency: Math.max(8, options.threads),
      logger: silentLogger(),
    }),
  });
  const adapter = createSlackAdapter(
    {
      config: loadConfig({
        SLACK_BOT_TOKEN: emulator.botToken,
        SLACK_SIGNING_SECRET: emulator.signingSecret,
        SLACK_API_URL: emulator.apiUrl,
        OCTO_LOG_LEVEL: "error",
      }),
      conversations: service,
      ledger: storeLedger(store),
      logger,
    },
    {
      listen: { host: "127.0.0.1", port: 0 },
      ...(options.userLocalesCapacity ? { userLocalesCapacity: options.userLocalesCapacity } : {}),
    },
  ) as SlackAdapter;
  await adapter.start();
  await service.start();
  const http = emulator.http(adapter.eventsUrl as string);

  const lag = monitorEventLoopDelay({ resolution: 10 });
  // With --expose-gc (as `npm run soak` runs), heap figures are live objects, not garbage not yet collected.
  const collect = () => (globalThis as { gc?: () => void }).gc?.();
  collect();
  const rss = { start: process.memoryUsage().rss, peak: 0 };
  const heapStart = process.memoryUsage().heapUsed;
  // The emulator shares the process: what it records of finished conversations is dropped (after a
  // margin for the card's last edit), so the figures are the bot's memory, not the emulator's.
  const finished: { ts: string; at: number }[] = [];
  const sampler = setInterval(() => {
    rss.peak = Math.max(rss.peak, process.memoryUsage().rss);
  }, 250);
  const heapSamples: { completed: number; heapMiB: number }[] = [];
  const heapSampler = setInterval(
    () => {
      collect();
      heapSamples.push({ completed, heapMiB: process.memoryUsage().heapUsed / MiB });
    },
    Math.max(1_000, (options.seconds * 1000) / 10),
  );
  const pruner = setInterval(() => {
    emulator.recorder.clear();
    while (finished.length > 0 && (finished[0]?.at ?? 0) < Date.now() - 30_000) {
      const done = finished.shift();
      if (done) emulator.workspace.forgetThread("C0GENERAL", done.ts);
    }
  }, 1_000);
  let errors = 0;
  let completed = 0;
  let people = 0;
  const durations: number[] = [];
  const fail = (reason: string) => {
    errors += 1;
    if (errorSamples.length < 5) errorSamples.push(reason);
  };

  const deadline = Date.now() + options.seconds * 1000;
  const answerTimeoutMs = options.answerTimeoutMs ?? 60_000;
  lag.enable();
  const thread = async () => {
    while (Date.now() < deadline) {
      const person = `U0SOAK${(people++).toString(36).toUpperCase()}`;
      const mention = emulator.payloads.mention({
        user: person,
        channel: "C0GENERAL",
        text: `search for kelp ${people}`,
      });
      const started = performance.now();
      try {
        // The answer is the message with the feedback buttons; a refusal or an error note has none.
        const answer = emulator.waitForCall(
          "chat.postMessage",
          (call) =>
            call.params.thread_ts === mention.ts &&
            JSON.stringify(call.params.blocks ?? []).includes("octo_feedback"),
          { timeoutMs: answerTimeoutMs },
        );
        const acked = await http.event(mention.body);
        if (acked.status !== 200) {
          fail(`ack ${acked.status}`);
          void answer.catch(() => undefined);
          continue;
        }
        await answer;
        finished.push({ ts: mention.ts, at: Date.now() });
        completed += 1;
        durations.push(performance.now() - started);
      } catch (error) {
        fail((error as Error).message.slice(0, 200));
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: options.threads }, thread));
  const seconds = (performance.now() - t0) / 1000;
  await adapter.idle();
  lag.disable();
  clearInterval(sampler);
  clearInterval(heapSampler);
  clearInterval(pruner);
  emulator.recorder.clear();
  for (const done of finished) emulator.workspace.forgetThread("C0GENERAL", done.ts);
  collect();
  const end = process.memoryUsage();
  const bookkeeping = adapter.bookkeeping();
  await service.close();
  await adapter.stop();
  await emulator.close();
  await store.close();
  if (url) await dropSchema(url, schema);
  return {
    seconds,
    threads: options.threads,
    database: url ? "postgres" : "pglite",
    completed,
    errors: errors + logged.n,
    errorSamples,
    people,
    rssMiB: { start: rss.start / MiB, end: end.rss / MiB, peak: Math.max(rss.peak, end.rss) / MiB },
    heapMiB: { start: heapStart / MiB, end: end.heapUsed / MiB },
    heapSamples,
    heapKiBPerConversation: growthPerConversation(heapSamples.slice(Math.floor(heapSamples.length / 5))),
    lagMs: { p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 },
    conversationMs: { p50: percentile(durations, 50), p99: percentile(durations, 99) },
    bookkeeping,
  };
}

/** Least-squares slope of heap over completed conversations, in KiB; undefined with fewer than 3 samples. */
function growthPerConversation(samples: { completed: number; heapMiB: number }[]): number | undefined {
  if (samples.length < 3) return undefined;
  const n = samples.length;
  const meanX = samples.reduce((sum, s) => sum + s.completed, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.heapMiB, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    covariance += (s.completed - meanX) * (s.heapMiB - meanY);
    variance += (s.completed - meanX) ** 2;
  }
  return variance === 0 ? undefined : (covariance / variance) * 1024;
}

export function printSoak(report: SoakReport): void {
  const f = (n: number) => n.toFixed(1);
  table(`soak: ${report.threads} threads x ${f(report.seconds)} s, ${report.database}, Slack HTTP mode`, [
    ["completed conversations", `${report.completed} (${f(report.completed / report.seconds)} /s)`],
    ["errors", `${report.errors}${report.errorSamples.length ? `: ${report.errorSamples.join(" | ")}` : ""}`],
    [
      "RSS start / end / peak",
      `${f(report.rssMiB.start)} / ${f(report.rssMiB.end)} / ${f(report.rssMiB.peak)} MiB`,
    ],
    [
      "heap used start / end",
      `${f(report.heapMiB.start)} / ${f(report.heapMiB.end)} MiB${(globalThis as { gc?: unknown }).gc ? " (after a full GC)" : ""}`,
    ],
    [
      "heap growth per conversation after warm-up",
      report.heapKiBPerConversation === undefined
        ? "n/a (too short)"
        : `${f(report.heapKiBPerConversation)} KiB (samples: ${report.heapSamples.map((s) => f(s.heapMiB)).join(", ")} MiB)`,
    ],
    [
      "event-loop lag p50 / p99 / max",
      `${f(report.lagMs.p50)} / ${f(report.lagMs.p99)} / ${f(report.lagMs.max)} ms`,
    ],
    ["conversation p50 / p99", `${f(report.conversationMs.p50)} / ${f(report.conversationMs.p99)} ms`],
    [
      "bookkeeping at the end",
      `${report.bookkeeping.userLocales} locales of ${report.people} people, ${report.bookkeeping.deliveriesInFlight} deliveries in flight`,
    ],
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await runSoak({
    seconds: Number(process.env.SOAK_SECONDS ?? 300),
    threads: Number(process.env.SOAK_THREADS ?? 50),
    modelMs: Number(process.env.SOAK_MODEL_MS ?? 50),
    database: process.env.SOAK_DATABASE === "postgres" ? "postgres" : "pglite",
  });
  printSoak(report);
  process.exitCode = report.errors === 0 ? 0 : 1;
}
