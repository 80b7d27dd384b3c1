import { t } from "../../i18n/index.js";
import type { RunResult } from "../../supervisor/types.js";
import type { Locale } from "../../vocabulary/index.js";
import { confidenceText, stateLabel, summaryParts } from "../summary.js";
import { formatSeconds, formatUtc } from "../text.js";
import type { ResultView, StepView } from "../view.js";

/**
 * Markdown files: the report (the generator's own Markdown when it ran), and the overflow files that
 * carry whatever did not fit in a message, so nothing is ever dropped.
 */

function stepSection(step: StepView, locale: Locale): string {
  const lines = [
    `## ${t(locale, "report.step", { step: step.id, description: step.description || step.task })}`,
    "",
    `- **${t(locale, "report.agent")}**: ${step.agent}`,
    `- **${t(locale, "report.status")}**: ${step.ran ? stateLabel(step.status, locale) : t(locale, "result.not_run")}`,
    `- **${t(locale, "report.confidence")}**: ${confidenceText(step.confidence)}`,
    `- **${t(locale, "report.task")}**: ${step.task}`,
  ];
  if (step.error) lines.push(`- **${t(locale, "report.error")}**: ${step.error}`);
  lines.push("", `**${t(locale, "report.result")}**:`, "", step.result || "-", "");
  return lines.join("\n");
}

/** Every step in full: the file a chat reply points to when its step list did not fit. */
export function stepsMarkdown(view: ResultView, locale: Locale): string {
  const header = [`# ${t(locale, "result.steps_title")}`, "", `> ${view.request}`, ""];
  const body =
    view.steps.length === 0 ? [t(locale, "result.no_steps")] : view.steps.map((s) => stepSection(s, locale));
  return `${[...header, ...body].join("\n").trimEnd()}\n`;
}

/** The whole final answer, for answers longer than a reply may carry. */
export function answerMarkdown(view: ResultView, locale: Locale): string {
  return `# ${t(locale, "result.answer_title")}\n\n> ${view.request}\n\n${view.answer}\n`;
}

/** A Markdown report built from the result, used when the report generator did not run. */
function builtReport(result: RunResult, view: ResultView, locale: Locale): string {
  const { total, completed, failed, skipped } = view.counts;
  const percent = (count: number) => (total === 0 ? "0.0%" : `${((count / total) * 100).toFixed(1)}%`);
  const lines = [
    `# ${t(locale, "report.title")}`,
    "",
    `**${t(locale, "report.generated_at")}**: ${formatUtc(result.finished_at)}`,
    "",
    `## ${t(locale, "report.request")}`,
    "",
    view.request,
    "",
    `## ${t(locale, "report.summary")}`,
    "",
    view.answer,
    "",
    `## ${t(locale, "report.statistics")}`,
    "",
    `| ${t(locale, "report.item")} | ${t(locale, "report.value")} | ${t(locale, "report.percent")} |`,
    "|---|---|---|",
    `| ${t(locale, "report.total_steps")} | ${total} | 100% |`,
    `| ${t(locale, "report.completed_steps")} | ${completed} | ${percent(completed)} |`,
    `| ${t(locale, "report.failed_steps")} | ${failed} | ${percent(failed)} |`,
    `| ${t(locale, "report.skipped_steps")} | ${skipped} | ${percent(skipped)} |`,
    `| ${t(locale, "report.approvals")} | ${view.approvals} | - |`,
    `| ${t(locale, "report.execution_time")} | ${t(locale, "report.seconds", { seconds: formatSeconds(view.seconds) })} | - |`,
    "",
    `# ${t(locale, "report.details")}`,
    "",
    ...view.steps.map((step) => stepSection(step, locale)),
    `## ${t(locale, "report.recommendations")}`,
    "",
    ...(view.recommendations.length === 0
      ? [t(locale, "report.no_recommendations")]
      : view.recommendations.map((insight) => `- ${insight.description}`)),
    "",
    `## ${t(locale, "report.conclusion")}`,
    "",
    t(locale, "report.conclusion_text", { completed, total, seconds: formatSeconds(view.seconds) }),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}

export function reportMarkdown(result: RunResult, view: ResultView, locale: Locale): string {
  return result.final_result.report ?? builtReport(result, view, locale);
}

/** One line for places that only have room for a line (JSON replies, file titles). */
export function summaryLine(view: ResultView, locale: Locale): string {
  return summaryParts(view, locale)
    .map((part) => part.text)
    .join(" · ");
}
