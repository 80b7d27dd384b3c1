import { t } from "../../i18n/index.js";
import { clip, oneLine } from "../../vocabulary/index.js";
import { agentIcon, type GeneratorInput, percent, STATUS_ICONS, skippedCount } from "./input.js";

function utcStamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function clock(iso: string): string {
  return iso.slice(11, 19);
}

/** Mermaid treats ':' ';' '#' specially in gantt task names and quotes in pie labels. */
function mermaidText(text: string): string {
  return clip(oneLine(text.replace(/[:;#"`]/g, " ")), 60, "") || "-";
}

function pieChart(input: GeneratorInput): string[] {
  const { locale, data } = input;
  const summary = data.execution_summary;
  const slices: [string, number][] = [
    [t(locale, "outcome.completed"), summary.completed_steps],
    [t(locale, "outcome.failed"), summary.failed_steps],
    [t(locale, "outcome.skipped"), skippedCount(data)],
  ];
  return [
    "```mermaid",
    `pie title ${mermaidText(t(locale, "report.pie_title"))}`,
    ...slices
      .filter(([, count]) => count > 0)
      .map(([label, count]) => `    "${mermaidText(label)}" : ${count}`),
    "```",
  ];
}

function ganttChart(input: GeneratorInput): string[] {
  const timed = input.stepResults.filter((r) => r.started_at && r.finished_at);
  if (timed.length === 0) return [];
  const lines = [
    "```mermaid",
    "gantt",
    `    title ${mermaidText(t(input.locale, "report.gantt_title"))}`,
    "    dateFormat HH:mm:ss",
    "    axisFormat %H:%M:%S",
  ];
  const byAgent = new Map<string, typeof timed>();
  for (const result of timed) byAgent.set(result.agent, [...(byAgent.get(result.agent) ?? []), result]);
  for (const [agent, results] of byAgent) {
    lines.push(`    section ${mermaidText(agent)}`);
    for (const r of results) {
      const tag = r.status === "completed" ? "done" : "crit";
      // Mermaid's gantt needs an end after the start; sub-second steps would otherwise vanish.
      const end =
        clock(r.finished_at as string) === clock(r.started_at as string)
          ? "1s"
          : clock(r.finished_at as string);
      lines.push(
        `    ${mermaidText(`${r.step_id}. ${r.description}`)} :${tag}, s${r.step_id}, ${clock(r.started_at as string)}, ${end}`,
      );
    }
  }
  lines.push("```");
  return lines;
}

/** The seed's Markdown report: summary, statistics, Mermaid pie and gantt, step details, recommendations. */
export function generateReport(input: GeneratorInput): string {
  const { data, locale } = input;
  const summary = data.execution_summary;
  const total = summary.total_steps;
  const skipped = skippedCount(data);
  const lines = [
    `# 📋 ${t(locale, "report.title")}`,
    "",
    `**${t(locale, "report.generated_at")}**: ${utcStamp(input.generatedAt)}`,
    `**${t(locale, "report.request")}**: ${input.request.replace(/\s+/g, " ").trim()}`,
    "",
    "---",
    "",
    `## 📝 ${t(locale, "report.summary")}`,
    "",
    data.final_answer,
    "",
    `## 📊 ${t(locale, "report.statistics")}`,
    "",
    `| ${t(locale, "report.item")} | ${t(locale, "report.value")} | ${t(locale, "report.percent")} |`,
    "|------|------|--------|",
    `| ${t(locale, "report.total_steps")} | ${total} | 100% |`,
    `| ${t(locale, "report.completed_steps")} | ${summary.completed_steps} | ${percent(summary.completed_steps, total)} |`,
    `| ${t(locale, "report.failed_steps")} | ${summary.failed_steps} | ${percent(summary.failed_steps, total)} |`,
    `| ${t(locale, "report.skipped_steps")} | ${skipped} | ${percent(skipped, total)} |`,
    `| ${t(locale, "report.approvals")} | ${summary.hitl_interactions} | - |`,
    `| ${t(locale, "report.execution_time")} | ${t(locale, "report.seconds", { seconds: summary.execution_time.toFixed(2) })} | - |`,
    "",
    `### 🥧 ${t(locale, "report.chart")}`,
    "",
    ...pieChart(input),
    "",
  ];
  const gantt = ganttChart(input);
  if (gantt.length > 0) lines.push(`### ⏱️ ${t(locale, "report.timeline")}`, "", ...gantt, "");

  lines.push(`## 🔎 ${t(locale, "report.details")}`, "");
  for (const step of data.steps) {
    const detail = input.stepResults.find((r) => r.step_id === step.step_id);
    lines.push(
      `### ${STATUS_ICONS[step.status] ?? "•"} ${t(locale, "report.step", { step: step.step_id, description: step.description.replace(/\s+/g, " ") })}`,
      "",
      `- **${t(locale, "report.agent")}**: ${agentIcon(step.agent)} ${step.agent}`,
      `- **${t(locale, "report.status")}**: ${t(locale, `outcome.${step.status}`)}`,
      `- **${t(locale, "report.confidence")}**: ${(step.confidence * 100).toFixed(0)}%`,
    );
    if (detail && detail.task !== step.description)
      lines.push(`- **${t(locale, "report.task")}**: ${detail.task}`);
    if (detail?.error) lines.push(`- **${t(locale, "report.error")}**: ${detail.error}`);
    lines.push("", `**${t(locale, "report.result")}**:`, "", step.result, "");
  }

  lines.push(`## 💡 ${t(locale, "report.recommendations")}`, "");
  if (data.insights.length === 0) lines.push(t(locale, "report.no_recommendations"));
  else
    for (const insight of data.insights)
      lines.push(`- **${insight.category}** (${insight.importance.toFixed(2)}): ${insight.description}`);

  lines.push(
    "",
    `## 🏁 ${t(locale, "report.conclusion")}`,
    "",
    t(locale, "report.conclusion_text", {
      completed: summary.completed_steps,
      total,
      seconds: summary.execution_time.toFixed(2),
    }),
    "",
  );
  return lines.join("\n");
}
