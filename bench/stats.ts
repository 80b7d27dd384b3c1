/** Shared by every benchmark: percentiles and a plain two-column table. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function table(title: string, rows: readonly [string, string][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/**
 * Keeps `inFlight` conversations going, each started by `one(n)` and awaited, until `until` resolves
 * and at least `total` have finished: how many finished and in how long.
 */
export async function keepInFlight(
  inFlight: number,
  total: number,
  until: Promise<unknown>,
  one: (n: number) => Promise<void>,
): Promise<{ completed: number; seconds: number }> {
  let started = 0;
  let completed = 0;
  let untilDone = false;
  void until.then(() => {
    untilDone = true;
  });
  const t0 = performance.now();
  const worker = async () => {
    while (!untilDone || started < total) {
      started += 1;
      await one(started);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { completed, seconds: (performance.now() - t0) / 1000 };
}

/**
 * One figure a benchmark measured in this run, for the summary table and `bench/results/bench-*.json`:
 * a percentile, a rate or a ratio; `value` null with `note` when it could not be measured here.
 */
export interface Figure {
  value: number | null;
  unit: string;
  target?: string;
  note?: string;
}

export type Figures = Record<string, Figure>;

export function figure(value: number, unit: string, more: { target?: string; note?: string } = {}): Figure {
  return { value: Number.isFinite(value) ? Number(value.toPrecision(4)) : null, unit, ...more };
}
