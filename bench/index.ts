import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Figure, type Figures, figure } from "./stats.js";

/**
 * `npm run bench [name...]`: runs every `bench/*.bench.ts` (or the named ones) in turn. Each module
 * prints its own tables and returns its figures; at the end one table lists every figure of the run
 * (with the process's RSS idle and at its peak under load), writes them to
 * `bench/results/bench-<time>.json` and prints the change from the previous such file. Targets are
 * printed beside the measurements, never asserted. A module that fails leaves its figures "n/a" with
 * the reason, and the others still run.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(here, "results");
const wanted = process.argv.slice(2);
const files = (await readdir(here))
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

const MiB = 2 ** 20;
const idleRss = process.memoryUsage().rss;
let peakRss = idleRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 200);

const figures: Figures = {};
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, "");
  console.log(`\n## ${name}`);
  try {
    const module = (await import(pathToFileURL(path.join(here, file)).href)) as {
      default: () => Promise<Figures | undefined>;
    };
    for (const [label, value] of Object.entries((await module.default()) ?? {})) figures[label] = value;
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0]?.slice(0, 160) ?? String(error);
    console.log(`${name} failed: ${reason}`);
    figures[`${name} (failed)`] = { value: null, unit: "", note: reason };
  }
}
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
figures["bench process RSS, idle (before any bench)"] = figure(idleRss / MiB, "MiB");
figures["bench process RSS, peak under load"] = figure(peakRss / MiB, "MiB");
if (files.includes("llm.bench.ts") && !Object.keys(figures).some((key) => key.startsWith("model tokens/s")))
  figures["model tokens/s via src/llm"] ??= { value: null, unit: "tokens/s", note: "the model did not load" };

const previous = await latestResults();
const rows = Object.entries(figures).map(([label, value]) => [
  label,
  shown(value),
  value.target ?? "",
  change(value, previous?.figures[label]),
]);
const header = ["figure", "measured", "target", `vs ${previous?.file ?? "(no earlier file)"}`];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
console.log(
  `\n## summary (${new Date().toISOString()}, load average ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")})`,
);
console.log(line(header));
console.log(line(widths.map((width) => "-".repeat(width))));
for (const row of rows) console.log(line(row));

await mkdir(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const out = path.join(resultsDir, `bench-${stamp}.json`);
const machine = { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() };
await writeFile(
  out,
  `${JSON.stringify({ at: new Date().toISOString(), benches: files, machine, figures }, null, 2)}\n`,
);
console.log(`\nwritten to ${path.relative(process.cwd(), out)}`);
// Some benches leave handles (worker threads, model contexts) that would keep the process up.
process.exit(0);

function shown(value: Figure): string {
  if (value.value === null) return `n/a${value.note ? ` (${value.note})` : ""}`;
  return `${value.value} ${value.unit}${value.note ? ` (${value.note})` : ""}`;
}

function change(now: Figure, before: Figure | undefined): string {
  if (!before) return "new";
  if (now.value === null || before.value === null) return `was ${shown(before)}`;
  if (before.value === 0) return `was ${before.value}`;
  const percent = ((now.value - before.value) / Math.abs(before.value)) * 100;
  return `${percent >= 0 ? "+" : ""}${percent.toFixed(1)} % (was ${before.value})`;
}

async function latestResults(): Promise<{ file: string; figures: Figures } | undefined> {
  const names = (await readdir(resultsDir).catch(() => [] as string[]))
    .filter((file) => /^bench-.*\.json$/.test(file))
    .sort();
  const last = names.at(-1);
  if (!last) return undefined;
  const parsed = JSON.parse(await readFile(path.join(resultsDir, last), "utf8")) as { figures?: Figures };
  return { file: last, figures: parsed.figures ?? {} };
}
