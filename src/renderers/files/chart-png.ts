import { renderAsync } from "@resvg/resvg-js";
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { FONT_FAMILY, type FontWeight, fontPath, measure, printable } from "./font.js";
import { compileVegaLite } from "./vega-lite.js";

/**
 * A chart artifact (a Vega-Lite spec with inline data) as PNG: Vega-Lite compiled to Vega, laid out
 * and drawn to SVG headless (`renderer: 'none'`), rasterized by resvg with the bundled Noto Sans KR.
 * Without a canvas Vega guesses text widths (0.8 em a character), far too narrow for Hangul, so axis
 * labels overlap: its width measurement is replaced by the font's real advances, the ones resvg draws.
 */

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
  ellipsis?: string;
}

interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

function weightOf(item: TextItem): FontWeight {
  const weight = item.fontWeight;
  if (weight === "bold" || weight === "bolder") return "bold";
  return Number(weight) >= 600 ? "bold" : "regular";
}

function sizeOf(item: TextItem): number {
  return item.fontSize != null ? Number(item.fontSize) || 0 : 11;
}

/** What Vega will print for `text` (trimmed, cut to `limit` with an ellipsis), measured with the font. */
function textWidth(item: TextItem, text: unknown): number {
  const size = sizeOf(item);
  const value = text == null ? "" : String(text).trim();
  if (size <= 0 || value.length === 0) return 0;
  const weight = weightOf(item);
  const full = measure(value, size, weight);
  const limit = Number(item.limit);
  if (!(limit > 0) || full < limit) return full;
  const ellipsis = item.ellipsis ?? "…";
  const room = limit - measure(ellipsis, size, weight);
  const chars = [...value];
  let kept = chars.length;
  while (kept > 0 && measure(chars.slice(0, kept).join(""), size, weight) >= room) kept -= 1;
  return measure(chars.slice(0, kept).join("") + ellipsis, size, weight);
}

(vega as unknown as { textMetrics: TextMetrics }).textMetrics.width = textWidth;

/** A chart spec may never make Vega read a file or the network: data comes inline or not at all. */
const refuse = (uri: string) => Promise.reject(new Error(`charts load nothing (${uri})`));
const NO_LOADING: vega.Loader = {
  load: refuse,
  sanitize: refuse,
  http: refuse,
  file: refuse,
};

/** Bounds of one picture, whatever the spec asks for. */
export const CHART_LIMITS = {
  maxRows: 5_000,
  maxSide: 2_000,
  scale: 2,
} as const;

export class ChartError extends Error {
  override readonly name = "ChartError";
}

function inlineValues(spec: Record<string, unknown>): unknown[] {
  const data = spec.data as { values?: unknown } | undefined;
  if (!data || !Array.isArray(data.values)) throw new ChartError("a chart needs inline data values");
  if (Object.keys(data).some((key) => key !== "values" && key !== "name" && key !== "format"))
    throw new ChartError("a chart's data may only be inline values");
  if (data.values.length > CHART_LIMITS.maxRows)
    throw new ChartError(`a chart may show at most ${CHART_LIMITS.maxRows} rows`);
  return data.values;
}

/** Anything that names a URL (data, images, links) is refused before Vega sees it. */
function assertSelfContained(value: unknown, depth = 0): void {
  if (depth > 40) throw new ChartError("the chart spec is nested too deeply");
  if (Array.isArray(value)) {
    for (const entry of value) assertSelfContained(entry, depth + 1);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, entry] of Object.entries(value)) {
    if (key === "url" || key === "href" || key === "datasets")
      throw new ChartError(`"${key}" is not allowed in a chart`);
    if (key === "values") continue;
    assertSelfContained(entry, depth + 1);
  }
}

/** Printable labels (no emoji boxes) in the data the chart shows. */
function printableValues(values: unknown[]): unknown[] {
  return values.map((row) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) return row;
    return Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        printable(key),
        typeof value === "string" ? printable(value) : value,
      ]),
    );
  });
}

function bounded(size: unknown, fallback: number): number {
  const value = Number(size);
  return Number.isFinite(value) && value > 0 ? Math.min(value, CHART_LIMITS.maxSide) : fallback;
}

/** The spec as it is drawn: our font everywhere, horizontal labels, bounded size, nothing loaded. */
function prepared(spec: Record<string, unknown>): TopLevelSpec {
  assertSelfContained({ ...spec, data: undefined });
  const values = printableValues(inlineValues(spec));
  const config = (spec.config as Record<string, unknown> | undefined) ?? {};
  const axis = (config.axis as Record<string, unknown> | undefined) ?? {};
  const axisX = (config.axisX as Record<string, unknown> | undefined) ?? {};
  return {
    ...spec,
    ...(typeof spec.title === "string" ? { title: printable(spec.title) } : {}),
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values },
    width: bounded(spec.width, 480),
    height: bounded(spec.height, 300),
    background: "white",
    config: {
      ...config,
      font: FONT_FAMILY,
      axis: { labelFont: FONT_FAMILY, titleFont: FONT_FAMILY, labelLimit: 160, ...axis },
      axisX: { labelAngle: 0, ...axisX },
      legend: { labelFont: FONT_FAMILY, titleFont: FONT_FAMILY },
      title: { font: FONT_FAMILY },
    },
  } as TopLevelSpec;
}

/** The chart as SVG text, with Vega's layout measured in the bundled font. */
export async function chartSvg(spec: Record<string, unknown>): Promise<string> {
  let compiled: vega.Spec;
  try {
    compiled = await compileVegaLite(prepared(spec));
  } catch (error) {
    if (error instanceof ChartError) throw error;
    throw new ChartError(`the chart spec is not valid Vega-Lite: ${(error as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), {
    renderer: "none",
    loader: NO_LOADING,
    logLevel: vega.Error,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface ChartPng {
  data: Buffer;
  width: number;
  height: number;
  /** Drawn at a smaller scale than usual to stay under `maxBytes`. */
  shrunk: boolean;
}

async function rasterize(svg: string, zoom: number) {
  const image = await renderAsync(svg, {
    fitTo: { mode: "zoom", value: zoom },
    font: {
      loadSystemFonts: false,
      fontFiles: [fontPath("regular"), fontPath("bold")],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    background: "#ffffff",
  });
  return { data: image.asPng(), width: image.width, height: image.height };
}

/** The chart as PNG, drawn smaller (down to a tenth of the usual scale) until it fits `maxBytes`. */
export async function renderChartPng(
  spec: Record<string, unknown>,
  options: { maxBytes?: number } = {},
): Promise<ChartPng> {
  const svg = await chartSvg(spec);
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  let zoom: number = CHART_LIMITS.scale;
  let image = await rasterize(svg, zoom);
  let shrunk = false;
  while (image.data.length > maxBytes && zoom > CHART_LIMITS.scale / 10) {
    zoom *= Math.max(0.3, Math.min(0.9, Math.sqrt(maxBytes / image.data.length) * 0.95));
    shrunk = true;
    image = await rasterize(svg, zoom);
  }
  return { ...image, shrunk };
}
