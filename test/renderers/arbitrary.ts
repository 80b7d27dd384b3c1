import fc from "fast-check";
import type { RunResult, StepResult } from "../../src/supervisor/types.js";
import type { OutputFormat } from "../../src/vocabulary/index.js";

/**
 * Arbitrary run results for property tests: 0..200 steps, text mixing Korean, emoji, Markdown and mrkdwn
 * special characters, mentions for both platforms, and the occasional very long string.
 */

const TRICKY = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<@U024BE7LH>",
  "<#C0123ABCD>",
  "<!subteam^S123>",
  "@everyone",
  "@here",
  "<@123456789012345678>",
  "<@&123456789012345678>",
  "<#123456789012345678>",
  "**bold**",
  "*emph*",
  "_under_",
  "~~strike~~",
  "`code`",
  "```\ncode block\n```",
  "> quote",
  "# heading",
  "-# subtext",
  "|| spoiler ||",
  "[link](https://example.com/a?b=c&d=e)",
  "<https://example.com|label>",
  "&amp; & < >",
  "한국어 보고서 작성",
  "비밀유지계약서",
  "😀👍🏽👨‍👩‍👧",
  "\\",
  "\n\n",
  "\u0000\u001b[31m",
] as const;

const word = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.lorem({ maxCount: 6 }) },
);

/** Mostly short text; sometimes a huge one (thousands of characters, with or without spaces). */
export const text = fc.oneof(
  { weight: 8, arbitrary: fc.array(word, { maxLength: 12 }).map((words) => words.join(" ")) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...TRICKY, "가", "x", "lorem ipsum "), fc.integer({ min: 200, max: 4000 }))
      .map(([piece, times]) => piece.repeat(times).slice(0, 30_000)),
  },
);

const nonEmpty = text.map((value) => (value.trim().length > 0 ? value : "task"));

const outcome = fc.constantFrom("completed" as const, "failed" as const, "skipped" as const);

const START = Date.parse("2025-11-03T09:00:00.000Z");

const stepArbitrary = (id: number, earlier: number[]) =>
  fc
    .record({
      agent: fc.oneof(fc.constantFrom("search", "web", "contract", "code", "data"), nonEmpty),
      task: nonEmpty,
      description: text,
      result: text,
      status: outcome,
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      dependsOn:
        earlier.length === 0
          ? fc.constant([] as number[])
          : fc.subarray(earlier, { maxLength: Math.min(3, earlier.length) }),
      timing: fc.option(fc.tuple(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 30_000 })), {
        nil: undefined,
      }),
      error: fc.option(text, { nil: undefined }),
    })
    .map(
      (step): StepResult => ({
        step_id: id,
        agent: step.agent,
        task: step.task,
        description: step.description,
        depends_on: step.dependsOn,
        status: step.status,
        result: step.result,
        confidence: step.confidence,
        ...(step.timing
          ? {
              started_at: new Date(START + step.timing[0]).toISOString(),
              finished_at: new Date(START + step.timing[0] + step.timing[1]).toISOString(),
            }
          : {}),
        duration_ms: step.timing?.[1] ?? 0,
        attempts: 1,
        ...(step.status === "failed" && step.error !== undefined ? { error: step.error } : {}),
        round: 0,
      }),
    );

/** Step counts biased to both ends: small plans, and plans near `max` (200 by default). */
function stepsArbitrary(max: number) {
  const ids = (minLength: number, maxLength: number) =>
    fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength, maxLength, size: "max" });
  const large = Math.max(0, max - 50);
  return fc
    .oneof({ weight: 3, arbitrary: ids(0, Math.min(12, max)) }, { weight: 1, arbitrary: ids(large, max) })
    .map((list) => [...list].sort((a, b) => a - b))
    .chain((list) =>
      fc.tuple(...list.map((id, index) => stepArbitrary(id, list.slice(Math.max(0, index - 5), index)))),
    );
}

export function resultArbitrary(
  formats: readonly OutputFormat[],
  options: { maxSteps?: number } = {},
): fc.Arbitrary<RunResult> {
  return fc
    .record({
      request: nonEmpty,
      answer: text,
      steps: stepsArbitrary(options.maxSteps ?? 200),
      insights: fc.array(
        fc.record({
          category: fc.constantFrom("recommendation", "risk", "quality"),
          description: text,
          importance: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        { maxLength: 8 },
      ),
      format: fc.constantFrom(...formats),
      locale: fc.constantFrom("ko" as const, "en" as const),
      report: text,
    })
    .map(({ request, answer, steps, insights, format, locale, report }): RunResult => {
      const count = (status: string) => steps.filter((step) => step.status === status).length;
      const summary = {
        total_steps: steps.length,
        completed_steps: count("completed"),
        failed_steps: count("failed"),
        hitl_interactions: 0,
        execution_time: 12.5,
      };
      const seedSteps = steps.map((step) => ({
        step_id: step.step_id,
        agent: step.agent,
        description: step.description,
        status: step.status,
        result: step.result,
        confidence: step.confidence,
      }));
      const graph = {
        nodes: steps.map((step) => ({
          id: `step_${step.step_id}`,
          label: step.task,
          type: step.agent,
          status: step.status,
          color: "#4CAF50",
          metadata: {
            ...seedSteps.find((seed) => seed.step_id === step.step_id)!,
            description: step.description,
          },
        })),
        edges: steps.flatMap((step) =>
          step.depends_on.map((dependency) => ({
            id: `edge_step_${dependency}_to_step_${step.step_id}`,
            source: `step_${dependency}`,
            target: `step_${step.step_id}`,
            label: "depends on",
            type: "dependency",
          })),
        ),
        layout: "hierarchical",
      };
      const wants = (name: OutputFormat) => format === name || format === "all";
      return {
        request,
        format,
        locale,
        intent: { category: "general", language: locale },
        plan: steps.map((step) => ({
          id: step.step_id,
          agent: step.agent,
          task: step.task,
          description: step.description,
          depends_on: step.depends_on,
          needs_approval: false,
          round: 0,
        })),
        step_results: steps,
        aggregated_data: { final_answer: answer, execution_summary: summary, insights, steps: seedSteps },
        final_result: {
          ...(wants("chat") ? { chat: answer } : {}),
          ...(wants("graph") ? { graph } : {}),
          ...(wants("report")
            ? {
                report: `# Report\n\n${report}\n\n${steps.map((step) => `## Step ${step.step_id}\n\n${step.result}`).join("\n\n")}\n`,
              }
            : {}),
          ...(wants("json")
            ? { json: { summary: answer, steps: seedSteps, insights, metrics: summary } }
            : {}),
        },
        usage: { calls: 0, cached_calls: 0, input_tokens: 0, output_tokens: 0, llm_ms: 0 },
        started_at: new Date(START).toISOString(),
        finished_at: new Date(START + 90_000).toISOString(),
      };
    });
}
