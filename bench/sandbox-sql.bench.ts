import { renderChartPng } from "../src/renderers/files/chart-png.js";
import { chartSpec } from "../src/tools/charts/index.js";
import { QuickJsSandbox } from "../src/tools/sandbox/index.js";
import { DuckDbQuerier } from "../src/tools/sql/index.js";
import { percentile, table } from "./stats.js";

/**
 * The code and data agents' tools, without a model: the JavaScript sandbox's start-up and per-run
 * overhead, and SQL on a generated 100,000-row CSV (load and profile, a GROUP BY, the chart drawn to
 * PNG). Printed, never asserted.
 */

const ms = (value: number) => `${value.toFixed(1)} ms`;
const spread = (values: number[]) => `p50 ${ms(percentile(values, 50))} · p95 ${ms(percentile(values, 95))}`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

async function sandboxFigures(): Promise<void> {
  const starts: number[] = [];
  for (let index = 0; index < 5; index += 1) {
    const sandbox = new QuickJsSandbox();
    const [, elapsed] = await timed(() => sandbox.run("1 + 1"));
    starts.push(elapsed);
    await sandbox.close();
  }
  const sandbox = new QuickJsSandbox({ timeoutMs: 2_000 });
  await sandbox.run("0");
  const trivial: number[] = [];
  for (let index = 0; index < 50; index += 1) trivial.push((await timed(() => sandbox.run("1 + 1")))[1]);
  const printing: number[] = [];
  for (let index = 0; index < 20; index += 1)
    printing.push(
      (await timed(() => sandbox.run("for (let i = 0; i < 100; i += 1) console.log('line', i)")))[1],
    );
  const [compute, computeMs] = await timed(() =>
    sandbox.run("let s = 0; for (let i = 0; i < 1e7; i += 1) s += i % 7; s"),
  );
  const [, bombMs] = await timed(() => sandbox.run("const a = []; for (;;) a.push(new Uint8Array(1e6));"));
  const [, afterBombMs] = await timed(() => sandbox.run("1 + 1"));
  const [, loopMs] = await timed(() => sandbox.run("while (true) {}"));
  await sandbox.close();
  table("JavaScript sandbox (QuickJS on its own thread)", [
    ["cold start + first run (thread, module, runtime)", spread(starts)],
    ["warm run of `1 + 1` (fresh runtime, round trip)", spread(trivial)],
    ["warm run printing 100 lines", spread(printing)],
    ["10 million loop iterations", `${ms(computeMs)} (${compute.ok ? "ok" : compute.error?.kind})`],
    ["memory bomb to the 64 MB cap", ms(bombMs)],
    ["next run (new thread after the bomb)", ms(afterBombMs)],
    ["endless loop to the 2000 ms deadline", ms(loopMs)],
  ]);
}

const REGIONS = ["서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종"];
const PRODUCTS = ["노트북", "모니터", "키보드", "마우스", "헤드셋"];

function salesCsv(rows: number): string {
  const lines = ["order_id,지역,상품,주문일,수량,금액"];
  for (let index = 0; index < rows; index += 1) {
    const day = new Date(Date.UTC(2024, 0, 1) + (index % 366) * 86_400_000).toISOString().slice(0, 10);
    const qty = 1 + (index % 9);
    lines.push(
      `${index + 1},${REGIONS[index % 8]},${PRODUCTS[(index * 7) % 5]},${day},${qty},${(qty * (1000 + (index % 97) * 13)).toFixed(0)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

async function sqlFigures(): Promise<void> {
  const text = salesCsv(100_000);
  const querier = new DuckDbQuerier({ timeoutMs: 60_000 });
  const load: number[] = [];
  const query: number[] = [];
  const chart: number[] = [];
  const total: number[] = [];
  for (let index = 0; index < 5; index += 1) {
    const started = performance.now();
    const [session, loadMs] = await timed(() => querier.open([{ name: "sales.csv", text }]));
    const [result, queryMs] = await timed(() =>
      session.query(
        'SELECT "지역", sum("금액") AS "매출", count(*) AS "주문" FROM sales GROUP BY 1 ORDER BY 2 DESC',
      ),
    );
    const [, chartMs] = await timed(async () => {
      const spec = chartSpec(result, "지역별 매출");
      if (!spec) throw new Error("no chart");
      return renderChartPng(spec);
    });
    await session.close();
    load.push(loadMs);
    query.push(queryMs);
    chart.push(chartMs);
    total.push(performance.now() - started);
  }
  table(`SQL on a 100,000-row CSV (${(text.length / 1_048_576).toFixed(1)} MiB, DuckDB, 1 thread)`, [
    ["load + profile (6 columns)", spread(load)],
    ["GROUP BY query", spread(query)],
    ["chart spec + PNG", spread(chart)],
    ["whole step without the model", spread(total)],
  ]);
}

export default async function run(): Promise<void> {
  await sandboxFigures();
  await sqlFigures();
}
