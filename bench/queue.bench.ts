import { mkdir, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { postgresUrl } from "../test/support/databases.js";
import { summarizeProfile } from "./cpu-profile.js";
import { overheadRow, queueOverhead } from "./queue-overhead.js";
import { keepInFlight, Replicas, sleep, type Throughput } from "./replicas.js";
import { type Figures, figure, percentile, table } from "./stats.js";

/**
 * Issue 16's benchmark (README "Scale-out"):
 * 1. the queue's overhead per job, graphile-worker on Postgres and the in-process queue on PGlite;
 * 2. completed conversations per second through the Slack emulator with one and with two bot replicas
 *    (real processes in Socket Mode on one Postgres schema), and the ratio;
 * 3. the ack p99 of app_mention events sent at 20/s to one replica running 40 conversations, beside the
 *    same events sent to a bare Bolt app (no-op listener, its own process) in the same run.
 * Targets: >= 30 conversations/s with one replica, >= 1.8x that with two, ack p99 within 3x the bare
 * app. Printed, never asserted. The model is faked at MODEL_MS per call, as in the `slack` bench.
 * With OCTO_BENCH_PROFILE=<dir>, only (2) with one replica runs, under the CPU profiler (bench/cpu-profiler.mjs), and the profile's
 * top self-time modules and functions are printed.
 */
const MODEL_MS = 100;
/**
 * Each bot holds OCTO_PG_POOL_MAX store connections, the queue's (at most 12) and one for its liveness
 * lock: two bots stay well under the server's default max_connections of 100. Throughput runs more
 * conversations at once than one replica takes (IN_FLIGHT > CONCURRENCY), so a second one has work.
 */
const CONCURRENCY = 24;
/** One replica alone, allowed to run more at once: what one process does when the cores are its own. */
const SOLO_CONCURRENCY = 48;
/** The ack probes' bot: 40 conversations in flight, 24 of them running. */
const ACK_CONCURRENCY = 24;
const POOL_MAX = 10;
const IN_FLIGHT = 128;
const WARM_UP = 40;
const CONVERSATIONS = 600;
const ACK_IN_FLIGHT = 40;
const ACK_RATE_PER_S = 20;
const ACK_PROBES = 200;

function load(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

function rate(result: Throughput): string {
  return `${(result.completed / result.seconds).toFixed(1)} /s (${result.completed} in ${result.seconds.toFixed(1)} s)`;
}

async function throughput(
  url: string,
  replicas: number,
  profiling?: Record<string, string>,
  concurrency = CONCURRENCY,
) {
  const world = await Replicas.start({
    url,
    modelMs: MODEL_MS,
    concurrency,
    poolMax: POOL_MAX,
    env: profiling,
  });
  try {
    const labels = Array.from({ length: replicas }, (_, i) => `bot-${i + 1}`);
    const [first, ...others] = labels;
    const bots = [await world.startBot(first as string)];
    bots.push(...(await Promise.all(others.map((label) => world.startBot(label)))));
    await keepInFlight(world, IN_FLIGHT, { total: WARM_UP });
    const loadBefore = load();
    const result = await keepInFlight(world, IN_FLIGHT, { total: CONVERSATIONS });
    const routed = new Map<string, number>();
    for (const route of world.emulator.socketMode.routes)
      routed.set(route.label, (routed.get(route.label) ?? 0) + 1);
    if (profiling) for (const bot of bots) await world.stopBot(bot);
    return { result, loadBefore, loadAfter: load(), routed };
  } catch (error) {
    console.error(world.logs());
    throw error;
  } finally {
    await world.close();
  }
}

/** Probes sent open-loop at ACK_RATE_PER_S to the bot and to the bare app, alternately, under load. */
async function ackRatio(url: string, split: boolean) {
  const world = await Replicas.start({
    url,
    modelMs: MODEL_MS,
    concurrency: ACK_CONCURRENCY,
    poolMax: POOL_MAX,
  });
  try {
    // Split: the events go to an intake-only process while a worker process runs the conversations.
    if (split) {
      await world.startBot("bot", { OCTO_ROLE: "intake" });
      await world.startBot("worker", { OCTO_ROLE: "worker" });
    } else {
      await world.startBot("bot");
    }
    await world.startBareBolt("bare");
    await keepInFlight(world, ACK_IN_FLIGHT, { total: WARM_UP }, "bot");
    const bot: number[] = [];
    const bare: number[] = [];
    let finishProbes!: () => void;
    const probesDone = new Promise<void>((resolve) => {
      finishProbes = resolve;
    });
    const loaded = keepInFlight(world, ACK_IN_FLIGHT, { until: probesDone }, "bot");
    await sleep(1_000);
    const loadBefore = load();
    const sent: Promise<void>[] = [];
    for (let i = 0; i < ACK_PROBES; i++) {
      sent.push(world.mention(`search for rays ${i}`, "bot").then(({ ackMs }) => void bot.push(ackMs)));
      sent.push(world.mention(`search for rays ${i}`, "bare").then(({ ackMs }) => void bare.push(ackMs)));
      await sleep(1000 / ACK_RATE_PER_S);
    }
    await Promise.all(sent);
    finishProbes();
    const result = await loaded;
    return { bot, bare, result, loadBefore, loadAfter: load() };
  } catch (error) {
    console.error(world.logs());
    throw error;
  } finally {
    await world.close();
  }
}

export default async function run(): Promise<Figures> {
  const url = await postgresUrl();
  const profileDir = process.env.OCTO_BENCH_PROFILE;
  if (profileDir) {
    await mkdir(profileDir, { recursive: true });
    const dir = path.resolve(profileDir);
    const before = new Set(await readdir(dir));
    if (!url) throw new Error("profiling needs the Postgres server");
    const profiler = path.join(path.dirname(fileURLToPath(import.meta.url)), "cpu-profiler.mjs");
    const one = await throughput(url, 1, { NODE_OPTIONS: `--import ${profiler}`, OCTO_CPU_PROFILE_DIR: dir });
    table(`one replica under the CPU profiler (load ${one.loadBefore} -> ${one.loadAfter})`, [
      ["completed conversations", rate(one.result)],
    ]);
    for (const file of await readdir(dir))
      if (file.endsWith(".cpuprofile") && !before.has(file)) await summarizeProfile(path.join(dir, file));
    return {};
  }
  const figures: Figures = {};

  const overheadRows: [string, string][] = [];
  for (const kind of ["pglite", "postgres"] as const) {
    const loadBefore = load();
    const result = await queueOverhead(kind);
    if (result) overheadRows.push(overheadRow(result), ["  load average", `${loadBefore} -> ${load()}`]);
    if (result)
      figures[`queue overhead (enqueue -> handler start) p50, ${kind}`] = figure(
        percentile(result.start, 50),
        "ms",
      );
  }
  table("queue overhead per job, bare handler, one job at a time", overheadRows);
  if (!url) {
    console.log("postgres: no server answers on 127.0.0.1:5432; replicas and acks skipped");
    return figures;
  }

  const solo = await throughput(url, 1, undefined, SOLO_CONCURRENCY);
  table(`one replica alone, OCTO_CONCURRENCY=${SOLO_CONCURRENCY}, ${IN_FLIGHT} conversations in flight`, [
    ["one replica", `${rate(solo.result)} (target >= 30 /s); load ${solo.loadBefore} -> ${solo.loadAfter}`],
  ]);
  const one = await throughput(url, 1);
  const two = await throughput(url, 2);
  const oneRate = one.result.completed / one.result.seconds;
  const ratioTwo = two.result.completed / two.result.seconds / oneRate;
  table(
    `Slack Socket Mode, real bot processes on Postgres, model faked at ${MODEL_MS} ms per call, ${IN_FLIGHT} conversations in flight, OCTO_CONCURRENCY=${CONCURRENCY}`,
    [
      ["one replica", `${rate(one.result)} (target >= 30 /s); load ${one.loadBefore} -> ${one.loadAfter}`],
      [
        "two replicas",
        `${rate(two.result)}; events per replica ${[...two.routed.values()].join(" / ")}; load ${two.loadBefore} -> ${two.loadAfter}`,
      ],
      ["two / one", `${ratioTwo.toFixed(2)}x (target >= 1.8x)`],
    ],
  );
  figures["conversations/s, one replica (Socket Mode, Postgres)"] = figure(oneRate, "/s", {
    target: ">= 30",
  });
  figures["conversations/s, two replicas"] = figure(oneRate * ratioTwo, "/s");
  figures["two replicas / one"] = figure(ratioTwo, "x", { target: ">= 1.8" });

  const row = (samples: number[]) =>
    `p50 ${percentile(samples, 50).toFixed(1)} ms · p99 ${percentile(samples, 99).toFixed(1)} ms (n=${samples.length})`;
  for (const split of [false, true]) {
    const acks = await ackRatio(url, split);
    const p99 = percentile(acks.bot, 99);
    const bareP99 = percentile(acks.bare, 99);
    const where = split
      ? "an intake process (OCTO_ROLE=intake) while a worker process (OCTO_ROLE=worker) runs them"
      : "one replica (OCTO_ROLE=all) that also runs them";
    table(
      `app_mention acks at ${ACK_RATE_PER_S} events/s each, ${ACK_IN_FLIGHT} conversations kept in flight (OCTO_CONCURRENCY=${ACK_CONCURRENCY}), events to ${where} (${rate(acks.result)}); load ${acks.loadBefore} -> ${acks.loadAfter}`,
      [
        [split ? "bot, intake process" : "bot (one replica)", row(acks.bot)],
        ["bare Bolt app, no-op listener", row(acks.bare)],
        ["bot / bare, p99", `${(p99 / bareP99).toFixed(2)}x (target <= 3x)`],
      ],
    );
    figures[`ack p99 vs bare Bolt, ${split ? "intake + worker" : "one process"}`] = figure(
      p99 / bareP99,
      "x",
      { target: "<= 3" },
    );
  }
  return figures;
}
