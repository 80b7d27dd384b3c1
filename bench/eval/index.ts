import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config.js";
import { createProvider } from "../../src/llm/factory.js";
import type { LlmClient } from "../../src/llm/types.js";
import { silentLogger } from "../../src/log.js";
import { type EvalReport, runEval } from "./harness.js";
import { agentsRight } from "./metrics.js";
import { EVAL_SET } from "./set.js";

/**
 * `npm run eval`: the labelled set through intent + planning on the provider OCTO_LLM names (local,
 * the product's default, when unset; `scripted` for the deterministic model), a table on stdout and
 * the full results in bench/results/. `--answers N` runs the first step's agent on every N-th case
 * (default: all on the scripted model, every 6th elsewhere, since answers are slow on 2 CPU cores).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

async function provider(): Promise<LlmClient> {
  const config = loadConfig({ ...process.env, OCTO_LOG_LEVEL: "silent" });
  return createProvider(config, { logger: silentLogger() });
}

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;

export function table(report: EvalReport): string {
  const m = report.metrics;
  const rows: [string, string][] = [
    ["provider / model", `${report.provider} / ${report.model}`],
    ["requests (ko / en)", `${m.cases} (${m.byLocale.ko.cases} / ${m.byLocale.en.cases})`],
    ["agent choice: model alone", pct(m.accuracy.model)],
    ["agent choice: prior alone", pct(m.accuracy.prior)],
    ["agent choice: combined (shipped)", pct(m.accuracy.combined)],
    [
      "  combined, ko / en",
      `${pct(m.byLocale.ko.combinedAccuracy)} / ${pct(m.byLocale.en.combinedAccuracy)}`,
    ],
    ["valid plans: model / combined", `${pct(m.validPlans.model)} / ${pct(m.validPlans.combined)}`],
    [
      "dependencies right (multi-step)",
      `${m.dependencies.correct}/${m.dependencies.cases} (${pct(m.dependencies.rate)})`,
    ],
    ["language match", pct(m.languageMatch)],
    ["history filter (follow-ups)", `${m.historyFilter.correct}/${m.historyFilter.cases}`],
    [
      "answers: degenerate first / fell back",
      `${m.answers.degenerate}/${m.answers.cases} (${pct(m.answers.degenerateRate)}) / ${m.answers.fallbacks}`,
    ],
    ["answers: degenerate shown as an answer", String(m.answers.shownDegenerate)],
    [
      "time: total / per request",
      `${(m.totalMs / 1000).toFixed(1)} s / ${(m.msPerCase / 1000).toFixed(2)} s`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n");
}

async function main() {
  const llm = await provider();
  const every = Number(flag("--answers") ?? (llm.provider === "scripted" ? 1 : 6));
  const limit = Number(flag("--limit") ?? EVAL_SET.length);
  const cases = EVAL_SET.slice(0, limit);
  const started = Date.now();
  const report = await runEval(llm, cases, {
    answer: (_item, index) => every > 0 && index % every === 0,
    onCase: (outcome, index) =>
      process.stderr.write(
        `${index + 1}/${cases.length} ${outcome.id}: ${(outcome.plans.combined ?? []).map((s) => s.agent).join("+")} ${agentsRight(outcome.plans.combined, outcome.expected) ? "ok" : "MISS"} (model: ${(outcome.plans.model ?? []).map((s) => s.agent).join("+") || "unusable"}) ${outcome.ms} ms\n`,
      ),
  });
  await llm.close?.();
  console.log(table(report));
  const dir = path.join(here, "..", "results");
  await mkdir(dir, { recursive: true });
  const stamp = new Date(started).toISOString().replace(/[:.]/g, "-");
  const file = path.join(dir, `eval-${report.provider}-${stamp}.json`);
  await writeFile(file, `${JSON.stringify({ at: new Date(started).toISOString(), ...report }, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
