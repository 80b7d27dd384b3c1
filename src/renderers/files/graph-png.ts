import { renderAsync } from "@resvg/resvg-js";
import type { Locale } from "../../vocabulary/index.js";
import { type GraphLayout, type GraphStep, layoutGraph } from "./graph-layout.js";
import { graphSvg } from "./graph-svg.js";

/**
 * The plan picture as PNG. resvg renders on its own thread pool (renderAsync), so a large graph does not
 * stall the bot's event loop; the text is outlines from the bundled font, never a system font.
 */

/** Crisp on high-density screens without making small plans heavy. */
const PREFERRED_SCALE = 2;
/** Past these, chat clients downscale anyway and uploads get slow; bigger plans are drawn smaller. */
const MAX_SIDE = 6000;
const MAX_PIXELS = 16_000_000;

export interface GraphPng {
  data: Buffer;
  width: number;
  height: number;
  /** True when the picture was drawn smaller than usual to stay under `maxBytes`. */
  shrunk: boolean;
  /** Where each step was drawn (in SVG units), reused for the positions in the graph JSON file. */
  layout: GraphLayout;
}

function scaleFor(width: number, height: number, preferred: number): number {
  const bySide = MAX_SIDE / Math.max(width, height);
  const byPixels = Math.sqrt(MAX_PIXELS / Math.max(width * height, 1));
  return Math.min(preferred, bySide, byPixels);
}

async function rasterize(
  svg: string,
  zoom: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const image = await renderAsync(svg, {
    fitTo: { mode: "zoom", value: zoom },
    // All text is already outlines from the bundled font (glyphs.ts); no font is ever looked up.
    font: { loadSystemFonts: false },
    background: "#ffffff",
    shapeRendering: 2,
  });
  return { data: image.asPng(), width: image.width, height: image.height };
}

/**
 * Renders the plan DAG. When `maxBytes` is given and the PNG is larger, it is drawn again at smaller
 * scales until it fits (text stays vector-sharp at every scale, so this only lowers resolution).
 */
export async function renderGraphPng(
  steps: GraphStep[],
  request: string,
  locale: Locale,
  options: { maxBytes?: number; scale?: number } = {},
): Promise<GraphPng> {
  const layout = layoutGraph(steps);
  const picture = graphSvg(layout, request, locale);
  const preferred = options.scale ?? PREFERRED_SCALE;
  let zoom = scaleFor(picture.width, picture.height, preferred);
  let shrunk = false;
  let image = await rasterize(picture.svg, zoom);
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  while (image.data.length > maxBytes && zoom > 0.05) {
    // PNG size grows roughly with pixel count, i.e. with the square of the zoom.
    zoom *= Math.max(0.3, Math.min(0.9, Math.sqrt(maxBytes / image.data.length) * 0.95));
    shrunk = true;
    image = await rasterize(picture.svg, zoom);
  }
  return { ...image, shrunk, layout };
}
