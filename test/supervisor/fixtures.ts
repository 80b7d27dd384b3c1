import type { GeneratorInput } from "../../src/supervisor/generators/index.js";
import type { StepResult } from "../../src/supervisor/types.js";

function step(
  partial: Partial<StepResult> & Pick<StepResult, "step_id" | "agent" | "status" | "result">,
): StepResult {
  return {
    task: `task ${partial.step_id}`,
    description: `description ${partial.step_id}`,
    depends_on: [],
    confidence: 0.8,
    duration_ms: 1500,
    attempts: 1,
    round: 0,
    ...partial,
  };
}

const englishSteps: StepResult[] = [
  step({
    step_id: 1,
    agent: "search",
    status: "completed",
    description: "Find current NDA practice",
    task: "Search for what mutual NDAs usually contain",
    result: "Mutual NDAs define confidential information, exclusions, term (2-5 years) and remedies.",
    confidence: 0.86,
    started_at: "2025-11-03T14:30:00.000Z",
    finished_at: "2025-11-03T14:30:04.000Z",
  }),
  step({
    step_id: 2,
    agent: "contract",
    status: "completed",
    description: "Draft the NDA",
    task: "Draft a mutual NDA between ACME and Beta",
    result: "1. Parties: [PARTY A] and [PARTY B]\n2. Purpose: evaluation of a partnership",
    confidence: 0.74,
    depends_on: [1],
    started_at: "2025-11-03T14:30:05.000Z",
    finished_at: "2025-11-03T14:30:12.000Z",
    approval: { approval_id: "apr_1", decision: "approve", by: "alice" },
  }),
  step({
    step_id: 3,
    agent: "web",
    status: "failed",
    description: "Read the partner's website",
    result: "Failed after 3 attempt(s): timed out",
    confidence: 0,
    error: "timed out",
    attempts: 3,
    started_at: "2025-11-03T14:30:00.000Z",
    finished_at: "2025-11-03T14:30:09.000Z",
  }),
  step({
    step_id: 4,
    agent: "code",
    status: "skipped",
    description: "Generate a signing script",
    result: "Skipped: rejected by alice.",
    confidence: 0,
    attempts: 0,
    approval: { approval_id: "apr_2", decision: "reject", by: "alice" },
  }),
];

function dataOf(steps: StepResult[], finalAnswer: string, insights: GeneratorInput["data"]["insights"]) {
  return {
    final_answer: finalAnswer,
    execution_summary: {
      total_steps: steps.length,
      completed_steps: steps.filter((s) => s.status === "completed").length,
      failed_steps: steps.filter((s) => s.status === "failed").length,
      hitl_interactions: steps.filter((s) => s.approval).length,
      execution_time: 12.34,
    },
    insights,
    steps: steps.map((s) => ({
      step_id: s.step_id,
      agent: s.agent,
      description: s.description,
      status: s.status,
      result: s.result,
      confidence: s.confidence,
    })),
  };
}

export const englishInput: GeneratorInput = {
  request: "Draft a mutual NDA with Beta Corp and check their website",
  locale: "en",
  generatedAt: new Date("2025-11-03T14:30:13.000Z"),
  stepResults: englishSteps,
  data: dataOf(englishSteps, "Here is a mutual NDA draft based on current practice.", [
    {
      category: "recommendation",
      description: "Have a lawyer review clause 7 (liability).",
      importance: 0.9,
    },
    { category: "risk", description: "The partner's website could not be read.", importance: 0.7 },
    { category: "next_step", description: "Send the draft to Beta Corp.", importance: 0.5 },
    { category: "observation", description: "A fourth insight that chat leaves out.", importance: 0.2 },
  ]),
};

const koreanSteps: StepResult[] = [
  step({
    step_id: 1,
    agent: "data",
    status: "completed",
    description: "매출 데이터 분석",
    task: "2025년 분기별 매출 추세를 분석",
    result: "3분기 매출이 전 분기 대비 12% 증가했습니다.",
    confidence: 0.9,
    started_at: "2025-11-03T05:00:00.000Z",
    finished_at: "2025-11-03T05:00:03.000Z",
  }),
  step({
    step_id: 2,
    agent: "search",
    status: "completed",
    description: "업계 동향 검색",
    result: "같은 기간 업계 평균 성장률은 8%였습니다.",
    confidence: 0.7,
    depends_on: [1],
    started_at: "2025-11-03T05:00:03.000Z",
    finished_at: "2025-11-03T05:00:05.000Z",
  }),
];

export const koreanInput: GeneratorInput = {
  request: "올해 분기별 매출을 분석하고 업계 동향과 비교해 주세요",
  locale: "ko",
  generatedAt: new Date("2025-11-03T05:00:06.000Z"),
  stepResults: koreanSteps,
  data: dataOf(koreanSteps, "3분기 매출은 업계 평균보다 빠르게 성장했습니다.", [
    { category: "recommendation", description: "4분기 마케팅 예산을 유지하세요.", importance: 0.8 },
  ]),
};
