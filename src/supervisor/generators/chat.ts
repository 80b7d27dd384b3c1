import { t } from "../../i18n/index.js";
import { type GeneratorInput, skippedCount } from "./input.js";

/** The seed's chat answer: the final answer, an emoji execution summary and the top three insights. */
export function generateChat({ data, locale }: GeneratorInput): string {
  const summary = data.execution_summary;
  const lines = [
    data.final_answer,
    "",
    "---",
    "",
    `📊 **${t(locale, "chat.summary_title")}**`,
    `- ${t(locale, "chat.total_steps", { count: summary.total_steps })}`,
    `- ✅ ${t(locale, "chat.completed_steps", { count: summary.completed_steps })}`,
    `- ❌ ${t(locale, "chat.failed_steps", { count: summary.failed_steps })}`,
  ];
  const skipped = skippedCount(data);
  if (skipped > 0) lines.push(`- ⏭️ ${t(locale, "chat.skipped_steps", { count: skipped })}`);
  if (summary.hitl_interactions > 0)
    lines.push(`- 🙋 ${t(locale, "chat.approvals", { count: summary.hitl_interactions })}`);
  lines.push(`- ⏱️ ${t(locale, "chat.execution_time", { seconds: summary.execution_time.toFixed(2) })}`);
  const top = data.insights.slice(0, 3);
  if (top.length > 0) {
    lines.push(
      "",
      `💡 **${t(locale, "chat.insights_title")}**`,
      ...top.map((insight) => `- ${insight.description}`),
    );
  }
  return lines.join("\n");
}
