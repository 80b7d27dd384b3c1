import { type MessageKey, t } from "../../i18n/index.js";
import type { RunResult } from "../../supervisor/types.js";
import { clip, type Locale, oneLine } from "../../vocabulary/index.js";
import { confidenceText, stateLabel } from "../summary.js";
import { formatSeconds, formatUtc } from "../text.js";
import type { ResultView, StepView } from "../view.js";
import { STATE_COLOUR } from "../view.js";
import { printable } from "./font.js";
import {
  drawGantt,
  drawPie,
  drawTable,
  ensureSpace,
  type GanttRow,
  PDF_INK,
  PDF_MUTED,
} from "./pdf-charts.js";
import { type Doc, openPdf, PDF_FONTS } from "./pdf-document.js";
import { drawMarkdown, pdfSafe } from "./pdf-markdown.js";

/**
 * The report as a PDF: title, request, summary, statistics table, a pie of step outcomes, a timeline of
 * the steps, per-step details, insights, recommendations and conclusion, in Korean or English.
 */

export interface ReportPdfOptions {
  /** Longest text printed for one step's result or for the summary; the Markdown and JSON keep all. */
  maxStepChars?: number;
  maxAnswerChars?: number;
}

const FONTS = PDF_FONTS;
const REGULAR = FONTS.regular;
const BOLD = FONTS.bold;

/** A section title; `keep` is the room the first thing under it needs, so the title never ends a page alone. */
function heading(doc: Doc, text: string, keep = 40): void {
  ensureSpace(doc, 40 + keep);
  doc.moveDown(0.6).font(BOLD).fontSize(15).fillColor(PDF_INK).text(pdfSafe(text));
  const y = doc.y + 2;
  doc
    .moveTo(doc.page.margins.left, y)
    .lineTo(doc.page.width - doc.page.margins.right, y)
    .lineWidth(0.8)
    .strokeColor("#c5ccd3")
    .stroke();
  doc.y = y + 8;
  doc.font(REGULAR).fontSize(10.5).fillColor(PDF_INK);
}

function paragraph(doc: Doc, text: string, options: { colour?: string; size?: number } = {}): void {
  doc
    .font(REGULAR)
    .fontSize(options.size ?? 10.5)
    .fillColor(options.colour ?? PDF_INK)
    .text(pdfSafe(text), { lineGap: 2.5, paragraphGap: 4 });
}

/** Text clipped for print; when shortened, says where the full text is. */
function limited(text: string, max: number, locale: Locale): string {
  if (text.length <= max) return text;
  return `${clip(text, max)}\n${t(locale, "report.shortened")}`;
}

function ganttRows(result: RunResult, view: ResultView): GanttRow[] {
  const starts = view.steps
    .map((step) => (step.startedAt ? Date.parse(step.startedAt) : Number.NaN))
    .filter(Number.isFinite);
  const runStart = Date.parse(result.started_at);
  const origin = Math.min(Number.isFinite(runStart) ? runStart : Number.POSITIVE_INFINITY, ...starts);
  return view.steps.map((step) => {
    const start = step.startedAt ? Date.parse(step.startedAt) : Number.NaN;
    const end = step.finishedAt ? Date.parse(step.finishedAt) : Number.NaN;
    const timed = Number.isFinite(start) && Number.isFinite(end) && Number.isFinite(origin) && end >= start;
    return {
      label: printable(clip(`#${step.id} ${oneLine(step.agent)}`, 40)),
      state: step.status,
      start: timed ? start - origin : undefined,
      end: timed ? end - origin : undefined,
    };
  });
}

function stepDetails(doc: Doc, step: StepView, locale: Locale, maxChars: number): void {
  ensureSpace(doc, 70);
  const title = t(locale, "report.step", {
    step: step.id,
    description: clip(step.description || step.task, 300),
  });
  const top = doc.y;
  doc
    .rect(doc.page.margins.left, top + 2, 4, 14)
    .fillColor(STATE_COLOUR[step.status])
    .fill();
  doc
    .font(BOLD)
    .fontSize(11.5)
    .fillColor(PDF_INK)
    .text(pdfSafe(title), doc.page.margins.left + 10, top);
  doc.x = doc.page.margins.left;
  const facts = [
    `${t(locale, "report.agent")}: ${step.agent}`,
    `${t(locale, "report.status")}: ${step.ran ? stateLabel(step.status, locale) : t(locale, "result.not_run")}`,
    `${t(locale, "report.confidence")}: ${confidenceText(step.confidence)}`,
    `${t(locale, "report.execution_time")}: ${t(locale, "report.seconds", { seconds: formatSeconds(step.durationMs / 1000) })}`,
  ].join("   ·   ");
  paragraph(doc, facts, { colour: PDF_MUTED, size: 9.5 });
  paragraph(doc, `${t(locale, "report.task")}: ${clip(step.task, 1000)}`, { size: 10 });
  if (step.error)
    paragraph(doc, `${t(locale, "report.error")}: ${limited(step.error, 1000, locale)}`, {
      colour: STATE_COLOUR.failed,
      size: 10,
    });
  if (step.result) drawMarkdown(doc, limited(step.result, maxChars, locale), FONTS, 10);
  doc.moveDown(0.5);
}

export async function renderReportPdf(
  result: RunResult,
  view: ResultView,
  locale: Locale,
  options: ReportPdfOptions = {},
): Promise<Buffer> {
  const maxStepChars = options.maxStepChars ?? 3000;
  const maxAnswerChars = options.maxAnswerChars ?? 20_000;
  const pdf = openPdf({
    title: `${t(locale, "report.title")}: ${clip(view.request, 200)}`,
    locale,
    created: new Date(result.finished_at),
  });
  const doc = pdf.doc;

  doc
    .font(BOLD)
    .fontSize(24)
    .fillColor(PDF_INK)
    .text(printable(t(locale, "report.title")));
  doc.moveDown(0.3);
  paragraph(doc, `${t(locale, "report.generated_at")}: ${formatUtc(result.finished_at)}`, {
    colour: PDF_MUTED,
    size: 9.5,
  });

  heading(doc, t(locale, "report.request"));
  paragraph(doc, limited(view.request, 4000, locale));

  heading(doc, t(locale, "report.summary"));
  drawMarkdown(doc, limited(view.answer || t(locale, "answer.no_steps"), maxAnswerChars, locale), FONTS);

  heading(doc, t(locale, "report.statistics"), 80);
  const { total, completed, failed, skipped } = view.counts;
  const percent = (count: number) => (total === 0 ? "0.0%" : `${((count / total) * 100).toFixed(1)}%`);
  drawTable(
    doc,
    [t(locale, "report.item"), t(locale, "report.value"), t(locale, "report.percent")].map(printable),
    [
      [t(locale, "report.total_steps"), String(total), "100%"],
      [t(locale, "report.completed_steps"), String(completed), percent(completed)],
      [t(locale, "report.failed_steps"), String(failed), percent(failed)],
      [t(locale, "report.skipped_steps"), String(skipped), percent(skipped)],
      [t(locale, "report.approvals"), String(view.approvals), "-"],
      [
        t(locale, "report.execution_time"),
        t(locale, "report.seconds", { seconds: formatSeconds(view.seconds) }),
        "-",
      ],
    ].map((cells) => ({ cells: cells.map(printable) })),
    [0.5, 0.25, 0.25],
    BOLD,
    REGULAR,
  );

  heading(doc, t(locale, "report.pie_title"), 150);
  drawPie(
    doc,
    (["completed", "failed", "skipped"] as const).map((state) => ({
      state,
      label: printable(t(locale, `outcome.${state}` as MessageKey)),
      value: view.counts[state],
    })),
  );
  doc.font(REGULAR);

  heading(doc, t(locale, "report.gantt_title"), 110);
  drawGantt(doc, ganttRows(result, view), { axisNote: printable(t(locale, "report.timeline_axis")) });
  doc.font(REGULAR);

  heading(doc, t(locale, "report.details"), 80);
  if (view.steps.length === 0) paragraph(doc, t(locale, "result.no_steps"));
  for (const step of view.steps) stepDetails(doc, step, locale, maxStepChars);

  if (view.topInsights.length > 0) {
    heading(doc, t(locale, "report.insights"));
    for (const insight of view.topInsights)
      paragraph(doc, `•  ${limited(insight.description, 2000, locale)}`);
  }

  heading(doc, t(locale, "report.recommendations"));
  if (view.recommendations.length === 0) paragraph(doc, t(locale, "report.no_recommendations"));
  for (const insight of view.recommendations.slice(0, 20))
    paragraph(doc, `•  ${limited(insight.description, 2000, locale)}`);

  heading(doc, t(locale, "report.conclusion"));
  paragraph(
    doc,
    t(locale, "report.conclusion_text", { completed, total, seconds: formatSeconds(view.seconds) }),
  );

  return pdf.finish();
}
