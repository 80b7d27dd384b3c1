import { renderGraphPng } from "../src/renderers/files/graph-png.js";
import { renderReportPdf } from "../src/renderers/files/report-pdf.js";
import { graphSteps } from "../src/renderers/files/result-files.js";
import { discord, slack } from "../src/renderers/index.js";
import { viewOf } from "../src/renderers/view.js";
import type { RunResult, StepResult } from "../src/supervisor/types.js";
import { type Figures, figure, percentile, table } from "./stats.js";

/**
 * Rendering cost of the heavy outputs: a 100-step plan graph as PNG, a 50-step report as PDF, and a whole
 * `all` reply (messages plus every file) for Slack and Discord. Printed, never asserted.
 */

const START = Date.parse("2025-11-03T09:00:00.000Z");
const AGENTS = ["search", "web", "contract", "code", "data"];

function syntheticResult(steps: number): RunResult {
  const results: StepResult[] = Array.from({ length: steps }, (_, index) => {
    const id = index + 1;
    const start = START + index * 1500;
    return {
      step_id: id,
      agent: AGENTS[index % AGENTS.length] as string,
      task: `${id}단계: 시장 자료를 수집하고 핵심 지표를 정리합니다 (market data ${id})`,
      description: `자료 정리 ${id}`,
      depends_on: index === 0 ? [] : [Math.max(1, id - 1 - (index % 4))],
      status: index % 11 === 0 ? "failed" : index % 7 === 0 ? "skipped" : "completed",
      result: `결과 요약 ${id}: ${"매출과 점유율 추이를 비교했습니다. ".repeat(12)}`,
      confidence: 0.5 + (index % 5) / 10,
      started_at: new Date(start).toISOString(),
      finished_at: new Date(start + 1200 + (index % 9) * 400).toISOString(),
      duration_ms: 1200 + (index % 9) * 400,
      attempts: 1,
      round: 0,
    };
  });
  const completed = results.filter((step) => step.status === "completed").length;
  const failed = results.filter((step) => step.status === "failed").length;
  return {
    request: `시장 조사 보고서를 ${steps}단계로 작성해 주세요`,
    format: "all",
    locale: "ko",
    intent: { category: "search", language: "ko" },
    plan: [],
    step_results: results,
    aggregated_data: {
      final_answer: "## 요약\n시장 조사 결과를 정리했습니다. **핵심 지표**는 보고서에 있습니다.",
      execution_summary: {
        total_steps: steps,
        completed_steps: completed,
        failed_steps: failed,
        hitl_interactions: 1,
        execution_time: steps * 1.5,
      },
      insights: [
        { category: "recommendation", description: "분기별 추이를 추가로 확인하세요.", importance: 0.9 },
      ],
      steps: results.map((step) => ({
        step_id: step.step_id,
        agent: step.agent,
        description: step.description,
        status: step.status,
        result: step.result,
        confidence: step.confidence,
      })),
    },
    final_result: { report: "# 분석 보고서\n" },
    usage: { calls: steps, cached_calls: 0, input_tokens: 0, output_tokens: 0, llm_ms: 0 },
    started_at: new Date(START).toISOString(),
    finished_at: new Date(START + steps * 1500).toISOString(),
  };
}

async function measure(runs: number, task: () => Promise<number>): Promise<{ ms: number[]; bytes: number }> {
  await task(); // warm-up: font parsing, JIT
  const ms: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    bytes = await task();
    ms.push(performance.now() - started);
  }
  return { ms, bytes };
}

function row(label: string, result: { ms: number[]; bytes: number }): [string, string] {
  const p = (value: number) => `${percentile(result.ms, value).toFixed(0)} ms`;
  return [
    label,
    `p50 ${p(50)}  p90 ${p(90)}  max ${p(100)}  (${(result.bytes / 1024).toFixed(0)} KiB, ${result.ms.length} runs)`,
  ];
}

export default async function run(): Promise<Figures> {
  const hundred = viewOf(syntheticResult(100));
  const fifty = syntheticResult(50);
  const fiftyView = viewOf(fifty);
  const graph = await measure(
    10,
    async () => (await renderGraphPng(graphSteps(hundred), hundred.request, "ko")).data.length,
  );
  const pdf = await measure(10, async () => (await renderReportPdf(fifty, fiftyView, "ko")).length);
  const total = (files: { data: Buffer }[]) => files.reduce((sum, file) => sum + file.data.length, 0);
  const slackAll = await measure(5, async () => total((await slack.renderResult(fifty, "ko")).files));
  const discordAll = await measure(5, async () => total((await discord.renderResult(fifty, "ko")).files));
  table("renderers (2 cores; targets: none asserted, see README)", [
    row("graph PNG, 100 steps", graph),
    row("report PDF, 50 steps", pdf),
    row("Slack `all` reply, 50 steps", slackAll),
    row("Discord `all` reply, 50 steps", discordAll),
  ]);
  const p50 = (result: { ms: number[] }) => figure(percentile(result.ms, 50), "ms p50");
  return {
    "render graph PNG, 100 steps": p50(graph),
    "render report PDF, 50 steps": p50(pdf),
    "render Slack `all` reply, 50 steps": p50(slackAll),
    "render Discord `all` reply, 50 steps": p50(discordAll),
  };
}
