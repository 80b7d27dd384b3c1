import { t } from "../../i18n/index.js";
import type { RunResult } from "../../supervisor/types.js";
import { type Locale, oneLine } from "../../vocabulary/index.js";
import { FILE_NAMES, resultFiles } from "../files/result-files.js";
import { confidenceLabel, type SummaryKind, stepPreview, summaryParts } from "../summary.js";
import { tablePreviews } from "../table-preview.js";
import type { Rendered, RenderResultOptions } from "../types.js";
import { type ResultView, type StepView, viewOf } from "../view.js";
import { indent, STATE_SYMBOL, terminalSafe } from "./text.js";

/**
 * A finished run as terminal text. The console has no message limits, so every step is listed; files are
 * returned for the console adapter to write to disk and print the paths of.
 */

export interface ConsoleMessage {
  text: string;
}

const PREVIEW_CHARS = 160;
const SUMMARY_SYMBOL: Record<SummaryKind, string> = {
  completed: "✔",
  failed: "✘",
  skipped: "↷",
  time: "⏱",
  approvals: "✋",
};

function summary(view: ResultView, locale: Locale): string {
  return summaryParts(view, locale)
    .map((part) => `${SUMMARY_SYMBOL[part.kind]} ${part.text}`)
    .join("  ·  ");
}

function stepLine(step: StepView, locale: Locale): { text: string; shortened: boolean } {
  const preview = stepPreview(step, locale, PREVIEW_CHARS);
  const confidence =
    step.ran && step.status === "completed" ? ` (${confidenceLabel(step.confidence, locale)})` : "";
  const head = `${STATE_SYMBOL[step.status]} #${step.id} [${oneLine(step.agent)}] ${oneLine(step.task)}`;
  return {
    text: `${head}${confidence}${preview.text ? `\n    → ${preview.text}` : ""}`,
    shortened: preview.shortened,
  };
}

function insights(view: ResultView, locale: Locale): string[] {
  if (view.topInsights.length === 0) return [];
  return [
    t(locale, "chat.insights_title"),
    ...view.topInsights.map((insight) => `  • ${oneLine(insight.description)}`),
    "",
  ];
}

function steps(view: ResultView, locale: Locale): string[] {
  if (view.steps.length === 0) return [t(locale, "result.no_steps")];
  const lines = view.steps.map((step) => stepLine(step, locale));
  const out = [t(locale, "result.steps_title"), ...lines.map((line) => indent(line.text))];
  if (lines.some((line) => line.shortened)) out.push("", t(locale, "result.shortened_note"));
  return out;
}

function previews(result: RunResult, locale: Locale): string[] {
  const tables = tablePreviews(result.step_results, locale);
  if (tables.length === 0) return [];
  return [
    "",
    t(locale, "result.previews_title"),
    ...tables.flatMap((table) => [indent(table.caption), ...table.lines.map((line) => indent(line, "    "))]),
  ];
}

function caption(result: RunResult, view: ResultView, locale: Locale): string[] {
  const out: string[] = [];
  if (result.format === "graph" || result.format === "all") {
    out.push(
      `${t(locale, "result.graph_title")}: ${t(locale, "result.graph_caption", { count: view.steps.length, file: FILE_NAMES.graphJson })}`,
    );
  }
  if (result.format === "report" || result.format === "all")
    out.push(`${t(locale, "report.title")}: ${t(locale, "result.report_caption")}`);
  if (result.format === "json" || result.format === "all")
    out.push(t(locale, "result.json_caption", { file: FILE_NAMES.json }));
  return out;
}

export async function renderResult(
  result: RunResult,
  locale: Locale,
  options: RenderResultOptions = {},
): Promise<Rendered<ConsoleMessage>> {
  const view = viewOf(result);
  const files = await resultFiles(result, locale, { ...options, view });
  const lines: string[] = [];
  if (result.format === "chat" || result.format === "all") {
    lines.push(
      view.answer.trim() || t(locale, "answer.no_steps"),
      "",
      summary(view, locale),
      "",
      ...insights(view, locale),
      ...steps(view, locale),
      ...previews(result, locale),
    );
  } else {
    // The files are the answer here: the summary, then their captions and names (not the request again).
    lines.push(summary(view, locale));
    if (result.format === "report") lines.push("", ...insights(view, locale));
  }
  const captions = caption(result, view, locale);
  if (captions.length > 0) lines.push("", ...captions);
  if (files.files.length > 0)
    lines.push(
      "",
      `${t(locale, "result.files_title")}: ${files.files.map((file) => file.filename).join(", ")}`,
    );
  lines.push(...files.notes);
  return { messages: [{ text: terminalSafe(lines.join("\n").trimEnd()) }], files: files.files };
}
