import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { workerSchemaFor } from "../src/store/queue/graphile-sql.js";
import { type BotProcess, botLogs, spawnBot } from "../test/e2e/faults/bot-process.js";
import { SlackEmulator } from "../test/emulators/slack/index.js";
import { dropSchema } from "../test/support/databases.js";

/**
 * Real bot processes (`node --import tsx src/main.ts`, OCTO_LLM=scripted, as the fault suite spawns
 * them) in Socket Mode on one Postgres schema, against the Slack emulator in this process, which hands
 * each envelope to one of the open connections in turn, as Slack does with several replicas.
 */
export const CHANNEL = "C0GENERAL";
export const USER = "U0ALICE";
const START_MS = 60_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface ReplicaOptions {
  url: string;
  modelMs: number;
  /** OCTO_CONCURRENCY of each bot. */
  concurrency: number;
  /** OCTO_PG_POOL_MAX of each bot. */
  poolMax: number;
  /** Extra environment for the bots (a profiler). */
  env?: Record<string, string> | undefined;
}

export class Replicas {
  private readonly bots: BotProcess[] = [];
  private readonly others: ChildProcess[] = [];

  private constructor(
    readonly emulator: SlackEmulator,
    private readonly options: ReplicaOptions,
    private readonly dir: string,
    readonly schema: string,
  ) {}

  static async start(options: ReplicaOptions): Promise<Replicas> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "octo-bench-replicas-"));
    await writeFile(path.join(dir, "script.json"), JSON.stringify({ delayMs: options.modelMs }));
    const emulator = await SlackEmulator.start({ triggerTtlMs: 600_000, socketPingIntervalMs: 5_000 });
    return new Replicas(emulator, options, dir, `octo_bench_r_${randomBytes(4).toString("hex")}`);
  }

  /** Starts a bot and resolves once it logged "started" and its Socket Mode connection is open. */
  async startBot(label: string, env: Record<string, string> = {}): Promise<BotProcess> {
    const url = new URL(this.options.url);
    url.searchParams.set("application_name", `octo-bench-${this.schema}`.slice(0, 60));
    const bot = spawnBot(label, {
      SLACK_BOT_TOKEN: this.emulator.botToken,
      SLACK_APP_TOKEN: this.emulator.appTokenFor(label),
      SLACK_API_URL: this.emulator.apiUrl,
      OCTO_LLM_SCRIPT: path.join(this.dir, "script.json"),
      OCTO_CONCURRENCY: String(this.options.concurrency),
      OCTO_PG_POOL_MAX: String(this.options.poolMax),
      POSTGRES_URL: url.toString(),
      OCTO_PG_SCHEMA: this.schema,
      OCTO_DATA_DIR: path.join(this.dir, `data-${label}`),
      ...this.options.env,
      ...env,
    });
    this.bots.push(bot);
    // A worker (OCTO_ROLE=worker) opens no Socket Mode connection: it only runs jobs and posts.
    const receives = env.OCTO_ROLE !== "worker";
    await Promise.all([
      bot.waitForLog('"msg":"started"', START_MS),
      receives ? this.emulator.socketMode.waitForConnection(START_MS, label) : Promise.resolve(),
    ]);
    return bot;
  }

  /** The no-op Bolt app of bench/bare-bolt.ts, connected with its own label. */
  async startBareBolt(label: string): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/bare-bolt.ts"], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: this.emulator.botToken,
        SLACK_APP_TOKEN: this.emulator.appTokenFor(label),
        SLACK_API_URL: this.emulator.apiUrl,
      },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    this.others.push(child);
    await this.emulator.socketMode.waitForConnection(START_MS, label);
  }

  /** Asks a bot to stop (SIGTERM: a profiler writes its profile) and waits for it. */
  async stopBot(bot: BotProcess): Promise<void> {
    bot.signal("SIGTERM");
    const exit = await Promise.race([bot.exited, sleep(20_000).then(() => undefined)]);
    if (!exit) await bot.kill();
  }

  /** The bots' warnings and errors (the last `lines` of each), for a failed run. */
  logs(lines = 8): string {
    return botLogs(this.bots, lines);
  }

  async close(): Promise<void> {
    await Promise.all(this.bots.map((bot) => (bot.alive ? bot.kill() : bot.exited)));
    for (const child of this.others) {
      if (child.pid === undefined || child.exitCode !== null) continue;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      await gone;
    }
    await this.emulator.close();
    await dropSchema(this.options.url, workerSchemaFor(this.schema)).catch(() => {});
    await dropSchema(this.options.url, this.schema).catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Mentions the bot (on connection `to`, else the next in turn); resolves with the ack time (ms). */
  async mention(text: string, to?: string): Promise<{ ts: string; ackMs: number }> {
    const event = this.emulator.payloads.mention({ user: USER, channel: CHANNEL, text });
    const t0 = performance.now();
    await this.emulator.socket(to).event(event.body);
    return { ts: event.ts, ackMs: performance.now() - t0 };
  }

  /** A thread's answer: the second message the bot posts there (the first is the progress card). */
  answered(threadTs: string) {
    return this.emulator.waitForCall("chat.postMessage", (call) => call.params.thread_ts === threadTs, {
      nth: 2,
      timeoutMs: 60_000,
    });
  }
}

export interface Throughput {
  completed: number;
  seconds: number;
}

/**
 * Keeps `inFlight` conversations running (mention -> progress card -> answer) until `total` have
 * finished, or, with `until`, until it resolves.
 */
export async function keepInFlight(
  replicas: Replicas,
  inFlight: number,
  stop: { total: number } | { until: Promise<unknown> },
  to?: string,
): Promise<Throughput> {
  let started = 0;
  let completed = 0;
  let stopped = false;
  if ("until" in stop)
    void stop.until.then(() => {
      stopped = true;
    });
  const more = () => ("total" in stop ? started < stop.total : !stopped);
  const t0 = performance.now();
  const worker = async () => {
    while (more()) {
      started += 1;
      const { ts } = await replicas.mention(`search for kelp ${started}`, to);
      await replicas.answered(ts);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { completed, seconds: (performance.now() - t0) / 1000 };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
