import type PDFDocument from "pdfkit";
import { formatSeconds } from "../text.js";
import type { StepState } from "../view.js";
import { STATE_COLOUR } from "../view.js";

/**
 * Charts drawn with PDF vector paths: the seed's report had Mermaid pie and gantt blocks, which a PDF
 * cannot run, so the same information is drawn for real here.
 */

type Doc = InstanceType<typeof PDFDocument>;

export const PDF_INK = "#1f2933";
export const PDF_MUTED = "#52606d";
const GRID = "#d9dee4";

/** Starts a new page when fewer than `needed` points remain above the bottom margin. */
export function ensureSpace(doc: Doc, needed: number): void {
  const bottom = doc.page.height - doc.page.margins.bottom;
  if (doc.y + needed > bottom) doc.addPage();
}

export interface PieSlice {
  label: string;
  value: number;
  state: StepState;
}

function arcPoint(cx: number, cy: number, radius: number, angle: number): [number, number] {
  return [cx + radius * Math.sin(angle), cy - radius * Math.cos(angle)];
}

/** A pie of step outcomes with a legend giving counts and shares. Slices of zero are left out. */
export function drawPie(doc: Doc, slices: PieSlice[], options: { radius?: number } = {}): void {
  const radius = options.radius ?? 62;
  const total = slices.reduce((sum, slice) => sum + slice.value, 0);
  const visible = slices.filter((slice) => slice.value > 0);
  ensureSpace(doc, radius * 2 + 20);
  const left = doc.page.margins.left;
  const cx = left + radius + 4;
  const cy = doc.y + radius + 4;

  if (total === 0) {
    doc.circle(cx, cy, radius).lineWidth(1).strokeColor(GRID).stroke();
  } else if (visible.length === 1) {
    doc
      .circle(cx, cy, radius)
      .fillColor(STATE_COLOUR[(visible[0] as PieSlice).state])
      .fill();
  } else {
    let angle = 0;
    for (const slice of visible) {
      const sweep = (slice.value / total) * Math.PI * 2;
      const [x1, y1] = arcPoint(cx, cy, radius, angle);
      const [x2, y2] = arcPoint(cx, cy, radius, angle + sweep);
      const large = sweep > Math.PI ? 1 : 0;
      doc
        .path(`M ${cx} ${cy} L ${x1} ${y1} A ${radius} ${radius} 0 ${large} 1 ${x2} ${y2} Z`)
        .fillColor(STATE_COLOUR[slice.state])
        .fill();
      angle += sweep;
    }
    // White separators make neighbouring slices readable in print.
    angle = 0;
    for (const slice of visible) {
      const [x, y] = arcPoint(cx, cy, radius, angle);
      doc.moveTo(cx, cy).lineTo(x, y).lineWidth(1.5).strokeColor("#ffffff").stroke();
      angle += (slice.value / total) * Math.PI * 2;
    }
  }

  let legendY = cy - (slices.length * 18) / 2;
  const legendX = cx + radius + 28;
  for (const slice of slices) {
    const share = total === 0 ? 0 : (slice.value / total) * 100;
    doc
      .rect(legendX, legendY + 2, 10, 10)
      .fillColor(STATE_COLOUR[slice.state])
      .fill();
    doc
      .fillColor(PDF_INK)
      .fontSize(10)
      .text(`${slice.label}: ${slice.value} (${share.toFixed(1)}%)`, legendX + 16, legendY, {
        lineBreak: false,
      });
    legendY += 18;
  }
  doc.x = left;
  doc.y = cy + radius + 16;
}

export interface GanttRow {
  label: string;
  state: StepState;
  /** Milliseconds from the run's start; undefined when the step has no recorded times. */
  start: number | undefined;
  end: number | undefined;
}

function niceStep(span: number): number {
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const candidates = [1, 2, 5, 10].map((factor) => factor * power);
  return candidates.find((candidate) => candidate >= raw) ?? 10 * power;
}

function drawAxis(doc: Doc, x0: number, width: number, y: number, span: number, noTiming: string): void {
  const tick = niceStep(span);
  doc.fontSize(8).fillColor(PDF_MUTED);
  for (let value = 0; value <= span + 1e-9; value += tick) {
    const x = x0 + (value / span) * width;
    doc
      .moveTo(x, y)
      .lineTo(x, y + 4)
      .lineWidth(0.5)
      .strokeColor(GRID)
      .stroke();
    doc.text(`${formatSeconds(value / 1000)}s`, x - 20, y + 6, {
      width: 40,
      align: "center",
      lineBreak: false,
    });
  }
  doc
    .fontSize(8)
    .fillColor(PDF_MUTED)
    .text(noTiming, x0, y + 18, { lineBreak: false });
}

/**
 * A timeline with one bar per step from its start to its end, continuing over as many pages as the plan
 * needs; every page repeats the time axis. Steps without recorded times get a row with a dash.
 */
export function drawGantt(doc: Doc, rows: GanttRow[], texts: { axisNote: string }): void {
  const left = doc.page.margins.left;
  const labelWidth = 140;
  const chartX = left + labelWidth + 8;
  const chartWidth = doc.page.width - doc.page.margins.right - chartX;
  const rowHeight = 15;
  const span = Math.max(1, ...rows.map((row) => row.end ?? 0));

  let index = 0;
  while (index < rows.length) {
    ensureSpace(doc, rowHeight * 2 + 40);
    const bottom = doc.page.height - doc.page.margins.bottom - 36;
    const top = doc.y;
    let y = top;
    // Light vertical grid behind the bars, matching the ticks of the axis below.
    while (index < rows.length && y + rowHeight <= bottom) {
      const row = rows[index] as GanttRow;
      if (index % 2 === 0)
        doc
          .rect(left, y, doc.page.width - doc.page.margins.right - left, rowHeight)
          .fillColor("#f4f6f8")
          .fill();
      doc
        .fontSize(8)
        .fillColor(PDF_INK)
        .text(row.label, left + 2, y + 3, {
          width: labelWidth - 4,
          height: rowHeight,
          lineBreak: false,
          ellipsis: true,
        });
      if (row.start !== undefined && row.end !== undefined) {
        const x = chartX + (row.start / span) * chartWidth;
        const width = Math.max(2, ((row.end - row.start) / span) * chartWidth);
        doc
          .roundedRect(x, y + 3, width, rowHeight - 6, 2)
          .fillColor(STATE_COLOUR[row.state])
          .fill();
      } else {
        doc
          .fontSize(8)
          .fillColor(PDF_MUTED)
          .text("-", chartX + 2, y + 3, { lineBreak: false });
      }
      y += rowHeight;
      index += 1;
    }
    doc.moveTo(chartX, top).lineTo(chartX, y).lineWidth(0.7).strokeColor(GRID).stroke();
    doc
      .moveTo(chartX, y)
      .lineTo(chartX + chartWidth, y)
      .lineWidth(0.7)
      .strokeColor(GRID)
      .stroke();
    drawAxis(doc, chartX, chartWidth, y, span, texts.axisNote);
    doc.x = left;
    doc.y = y + 36;
    if (index < rows.length) doc.addPage();
  }
}

export interface TableRow {
  cells: string[];
}

/** A simple ruled table with a bold header row; column widths as fractions of the text width. */
export function drawTable(
  doc: Doc,
  header: string[],
  rows: TableRow[],
  fractions: number[],
  boldFont: string,
  regularFont: string,
): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const widths = fractions.map((fraction) => fraction * width);
  const rowHeight = 20;
  const drawRow = (cells: string[], bold: boolean, shade: boolean) => {
    ensureSpace(doc, rowHeight);
    const y = doc.y;
    if (shade) doc.rect(left, y, width, rowHeight).fillColor("#eef1f4").fill();
    let x = left;
    cells.forEach((cell, column) => {
      const cellWidth = widths[column] ?? 0;
      doc
        .font(bold ? boldFont : regularFont)
        .fontSize(10)
        .fillColor(PDF_INK)
        .text(cell, x + 6, y + 5, { width: cellWidth - 12, lineBreak: false, ellipsis: true });
      x += cellWidth;
    });
    doc
      .moveTo(left, y + rowHeight)
      .lineTo(left + width, y + rowHeight)
      .lineWidth(0.5)
      .strokeColor(GRID)
      .stroke();
    doc.x = left;
    doc.y = y + rowHeight;
  };
  drawRow(header, true, true);
  for (const row of rows) drawRow(row.cells, false, false);
  doc.font(regularFont);
  doc.y += 8;
}
