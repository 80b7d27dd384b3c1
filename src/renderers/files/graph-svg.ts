import { t } from "../../i18n/index.js";
import type { Locale } from "../../vocabulary/index.js";
import { stateLabel } from "../summary.js";
import { STATE_COLOUR, STEP_STATES } from "../view.js";
import { printable, wrap } from "./font.js";
import { GlyphSheet } from "./glyphs.js";
import { type GraphLayout, type LaidNode, NODE_STYLE, textWidth } from "./graph-layout.js";

/** The plan picture as SVG: title, legend of the states present, then the laid-out graph. */

export interface GraphPicture {
  svg: string;
  width: number;
  height: number;
}

const MARGIN = 24;
const TITLE_SIZE = 20;
const SUBTITLE_SIZE = 13;
const LEGEND_SIZE = 12;
const STATUS_SIZE = 11;
const INK = "#1f2933";
const MUTED = "#52606d";

function nodeSvg(node: LaidNode, locale: Locale, glyphs: GlyphSheet): string {
  const colour = STATE_COLOUR[node.step.status];
  const { padding, lineHeight, titleSize, taskSize } = NODE_STYLE;
  const band = padding + lineHeight;
  const parts = [
    `<rect x="${node.x.toFixed(1)}" y="${node.y.toFixed(1)}" width="${node.width}" height="${node.height}" rx="8" fill="#ffffff" stroke="${colour}" stroke-width="2"/>`,
    `<path d="M${node.x + 8},${node.y} h${node.width - 16} a8,8 0 0 1 8,8 v${band - 8} h-${node.width} v-${band - 8} a8,8 0 0 1 8,-8 z" fill="${colour}"/>`,
    glyphs.text(node.title, node.x + padding, node.y + padding + titleSize - 1, {
      size: titleSize,
      weight: "bold",
      fill: "#ffffff",
    }),
  ];
  const status = printable(stateLabel(node.step.status, locale));
  const room = node.width - 2 * padding - textWidth(node.title, titleSize, true) - 12;
  if (textWidth(status, STATUS_SIZE) < room) {
    parts.push(
      glyphs.text(status, node.x + node.width - padding, node.y + padding + titleSize - 2, {
        size: STATUS_SIZE,
        fill: "#ffffff",
        anchor: "end",
      }),
    );
  }
  node.taskLines.forEach((line, index) => {
    const y = node.y + band + padding + taskSize + index * lineHeight - 2;
    parts.push(glyphs.text(line, node.x + padding, y, { size: taskSize, fill: INK }));
  });
  return `<g>${parts.join("")}</g>`;
}

function edgePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  return `M${first?.x.toFixed(1)},${first?.y.toFixed(1)} ${rest.map((p) => `L${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")}`;
}

export function graphSvg(layout: GraphLayout, request: string, locale: Locale): GraphPicture {
  const glyphs = new GlyphSheet();
  const width = Math.max(layout.width + 2 * MARGIN, 520);
  const title = printable(t(locale, "result.graph_title"));
  const subtitle = wrap(printable(request), width - 2 * MARGIN, SUBTITLE_SIZE, 2);

  const present = STEP_STATES.filter((state) => layout.nodes.some((node) => node.step.status === state));
  const legend: string[] = [];
  let legendX = MARGIN;
  let legendY = MARGIN + TITLE_SIZE + 8 + subtitle.length * 18 + 14;
  for (const state of present) {
    const label = printable(stateLabel(state, locale));
    const itemWidth = 18 + textWidth(label, LEGEND_SIZE) + 18;
    if (legendX + itemWidth > width - MARGIN && legendX > MARGIN) {
      legendX = MARGIN;
      legendY += 20;
    }
    legend.push(
      `<rect x="${legendX}" y="${legendY - 10}" width="12" height="12" rx="3" fill="${STATE_COLOUR[state]}"/>`,
      glyphs.text(label, legendX + 18, legendY, { size: LEGEND_SIZE, fill: MUTED }),
    );
    legendX += itemWidth;
  }
  const graphTop = legendY + 16;
  const offsetX = (width - layout.width) / 2;
  const graphHeight = layout.nodes.length === 0 ? 48 : layout.height;
  const height = graphTop + graphHeight + MARGIN;

  const header = [
    glyphs.text(title, MARGIN, MARGIN + TITLE_SIZE, { size: TITLE_SIZE, weight: "bold", fill: INK }),
    ...subtitle.map((line, index) =>
      glyphs.text(line, MARGIN, MARGIN + TITLE_SIZE + 8 + (index + 1) * 18 - 4, {
        size: SUBTITLE_SIZE,
        fill: MUTED,
      }),
    ),
  ];
  const empty =
    layout.nodes.length === 0
      ? glyphs.text(printable(t(locale, "result.no_steps")), MARGIN, graphTop + 24, { size: 14, fill: MUTED })
      : "";
  const body = [
    `<g transform="translate(${offsetX.toFixed(1)},${graphTop})">`,
    ...layout.edges.map(
      (edge) =>
        `<path d="${edgePath(edge.points)}" fill="none" stroke="#7b8794" stroke-width="1.6" marker-end="url(#arrow)"/>`,
    ),
    ...layout.nodes.map((node) => nodeSvg(node, locale, glyphs)),
    "</g>",
  ];
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#7b8794"/></marker>${glyphs.defs()}</defs>`,
    `<rect width="100%" height="100%" fill="#f7f9fb"/>`,
    ...header,
    ...legend,
    ...body,
    empty,
    "</svg>",
  ].join("\n");
  return { svg, width, height };
}
