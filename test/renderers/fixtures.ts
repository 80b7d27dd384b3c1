import type { ApprovalCard, RunEvent } from "../../src/conversations/events.js";
import type { GraphJson, PlanStep, RunResult, StepResult } from "../../src/supervisor/types.js";
import type { Locale, OutputFormat } from "../../src/vocabulary/index.js";

/**
 * Hand-built results for golden tests: one Korean, one English, same shape (5 steps, one failed, one
 * rejected by a human, one edited), fixed clock.
 */

const START = Date.parse("2025-11-03T09:00:00.000Z");
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();

interface StepText {
  agent: string;
  task: string;
  description: string;
  result: string;
}

const KO_STEPS: StepText[] = [
  {
    agent: "search",
    task: "비밀유지계약(NDA) 관련 국내 법령과 판례 조사",
    description: "관련 법령 조사",
    result:
      "부정경쟁방지법 제2조와 민법 제390조가 핵심 근거입니다. 대법원 2019다12345 판결은 *비밀유지 의무* 위반 시 손해배상 범위를 구체적으로 제시합니다.",
  },
  {
    agent: "web",
    task: "공개된 NDA 템플릿 3종 수집 및 비교",
    description: "템플릿 수집",
    result:
      "대한상공회의소, 중소벤처기업부, 법무법인 공개 템플릿을 비교했습니다. 기간 조항이 1~5년으로 다양합니다.",
  },
  {
    agent: "contract",
    task: "상호 비밀유지계약서 초안 작성 (기간 3년)",
    description: "계약서 초안 작성",
    result:
      "제1조(목적) 본 계약은 양 당사자 간 정보 교류에 있어 비밀정보의 보호를 목적으로 한다.\n제2조(비밀정보의 정의) ...\n제7조(유효기간) 본 계약의 유효기간은 3년으로 한다.",
  },
  {
    agent: "code",
    task: "계약서 조항 자동 검증 스크립트 실행",
    description: "조항 검증",
    result: "",
  },
  {
    agent: "data",
    task: "위험 조항 점수화 및 요약 <@U024BE7LH> @here",
    description: "위험도 분석",
    result: "",
  },
];

const EN_STEPS: StepText[] = [
  {
    agent: "search",
    task: "Find the laws and court rulings that govern NDAs in Korea",
    description: "Research the law",
    result:
      "The Unfair Competition Prevention Act (Art. 2) and the Civil Act (Art. 390) are the main grounds. Supreme Court case 2019Da12345 sets out *damages* for breach of confidentiality.",
  },
  {
    agent: "web",
    task: "Collect three public NDA templates and compare them",
    description: "Collect templates",
    result:
      "Compared templates from the Chamber of Commerce, the SME ministry and a law firm. Terms range from 1 to 5 years.",
  },
  {
    agent: "contract",
    task: "Draft a mutual NDA (3-year term)",
    description: "Draft the contract",
    result:
      "Article 1 (Purpose) This agreement protects confidential information exchanged between the parties.\nArticle 2 (Definition) ...\nArticle 7 (Term) This agreement lasts three years.",
  },
  {
    agent: "code",
    task: "Run the clause-checking script on the draft",
    description: "Check clauses",
    result: "",
  },
  {
    agent: "data",
    task: "Score risky clauses and summarise <@U024BE7LH> @here",
    description: "Analyse risk",
    result: "",
  },
];

const DEPENDS: number[][] = [[], [], [1, 2], [3], [3]];

function plan(texts: StepText[], locale: Locale): PlanStep[] {
  return texts.map((text, index) => ({
    id: index + 1,
    agent: text.agent,
    task: text.task,
    description: text.description,
    depends_on: DEPENDS[index] ?? [],
    needs_approval: text.agent === "contract" || text.agent === "code",
    ...(text.agent === "contract" || text.agent === "code"
      ? {
          approval_reason:
            locale === "ko"
              ? `${text.agent} 에이전트의 단계는 항상 승인이 필요합니다.`
              : `The ${text.agent} agent's steps always need approval.`,
        }
      : {}),
    round: 0,
  }));
}

function stepResults(texts: StepText[], locale: Locale): StepResult[] {
  const timing: [number, number][] = [
    [1, 9.5],
    [1.2, 6.8],
    [10, 24],
    [24.5, 25],
    [24.5, 31],
  ];
  return texts.map((text, index): StepResult => {
    const id = index + 1;
    const [start, end] = timing[index] ?? [0, 0];
    const base = {
      step_id: id,
      agent: text.agent,
      task: text.task,
      description: text.description,
      depends_on: DEPENDS[index] ?? [],
      result: text.result,
      started_at: at(start),
      finished_at: at(end),
      duration_ms: Math.round((end - start) * 1000),
      attempts: 1,
      round: 0,
    };
    if (id === 3) {
      return {
        ...base,
        status: "completed",
        confidence: 0.82,
        approval: { approval_id: "apr_3", decision: "edit", by: "U024BE7LH", edited_task: text.task },
        usage: { calls: 2, cached_calls: 0, input_tokens: 1800, output_tokens: 900, llm_ms: 12000 },
      };
    }
    if (id === 4) {
      return {
        ...base,
        status: "skipped",
        confidence: 0,
        result: locale === "ko" ? "건너뜀: U024BE7LH님이 거절했습니다." : "Skipped: rejected by U024BE7LH.",
        attempts: 0,
        approval: { approval_id: "apr_4", decision: "reject", by: "U024BE7LH" },
      };
    }
    if (id === 5) {
      return {
        ...base,
        status: "failed",
        confidence: 0,
        attempts: 2,
        error: locale === "ko" ? "데이터 원본 시간 초과 (30초)" : "Data source timed out (30 s)",
      };
    }
    return {
      ...base,
      status: "completed",
      confidence: id === 1 ? 0.91 : 0.77,
      sources: [{ title: "law.go.kr", url: "https://www.law.go.kr/" }],
    };
  });
}

function graph(results: StepResult[]): GraphJson {
  const colour = { completed: "#4CAF50", failed: "#F44336", skipped: "#9E9E9E" } as const;
  return {
    nodes: results.map((step) => ({
      id: `step_${step.step_id}`,
      label: `${step.agent}: ${step.description}`,
      type: step.agent,
      status: step.status,
      color: colour[step.status],
      metadata: {
        step_id: step.step_id,
        agent: step.agent,
        description: step.description,
        result: step.result,
        confidence: step.confidence,
      },
    })),
    edges: results.flatMap((step) =>
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
}

const KO_ANSWER = `## 요약
상호 **비밀유지계약서(NDA)** 초안을 작성했습니다. 유효기간은 3년이며, 부정경쟁방지법과 민법을 근거로 합니다.

- 조항 검증 스크립트는 승인 거절로 실행하지 않았습니다.
- 위험 조항 분석은 데이터 원본 시간 초과로 실패했습니다.

자세한 내용은 [국가법령정보센터](https://www.law.go.kr/)를 참고하세요. <!channel> 확인 부탁드립니다 & 감사합니다.`;

const EN_ANSWER = `## Summary
I drafted a mutual **non-disclosure agreement (NDA)** with a three-year term, grounded in the Unfair Competition Prevention Act and the Civil Act.

- The clause-checking script did not run: the approval was rejected.
- The risk analysis failed: the data source timed out.

See the [Korean law portal](https://www.law.go.kr/) for the statutes. <!channel> please review & confirm.`;

export function fixtureResult(locale: Locale, format: OutputFormat = "all"): RunResult {
  const texts = locale === "ko" ? KO_STEPS : EN_STEPS;
  const results = stepResults(texts, locale);
  const answer = locale === "ko" ? KO_ANSWER : EN_ANSWER;
  const insights = [
    {
      category: "recommendation",
      description:
        locale === "ko"
          ? "유효기간 조항을 거래 기간과 맞춰 검토하세요."
          : "Align the term clause with the length of the deal.",
      importance: 0.9,
    },
    {
      category: "risk",
      description:
        locale === "ko"
          ? "위험 조항 분석이 실패했으므로 수동 검토가 필요합니다."
          : "The risk analysis failed; review risky clauses by hand.",
      importance: 0.8,
    },
    {
      category: "quality",
      description:
        locale === "ko"
          ? "법령 조사 신뢰도가 높습니다 (0.91)."
          : "The legal research is highly confident (0.91).",
      importance: 0.6,
    },
    {
      category: "recommendation",
      description:
        locale === "ko" ? "서명 전에 법무팀 검토를 받으세요." : "Have legal review it before signing.",
      importance: 0.5,
    },
  ];
  const aggregated = {
    final_answer: answer,
    execution_summary: {
      total_steps: 5,
      completed_steps: 3,
      failed_steps: 1,
      hitl_interactions: 2,
      execution_time: 31.4,
    },
    insights,
    steps: results.map((step) => ({
      step_id: step.step_id,
      agent: step.agent,
      description: step.description,
      status: step.status,
      result: step.result,
      confidence: step.confidence,
    })),
  };
  const g = graph(results);
  const all = format === "all";
  const title = locale === "ko" ? "분석 보고서" : "Analysis report";
  return {
    request:
      locale === "ko"
        ? "비밀유지계약서(NDA) 초안을 작성하고 관련 법령을 검토해 주세요"
        : "Draft an NDA and check the laws that apply",
    format,
    locale,
    intent: { category: "contract", language: locale },
    plan: plan(texts, locale),
    step_results: results,
    aggregated_data: aggregated,
    final_result: {
      ...(all || format === "chat" ? { chat: `${answer}\n\n📊 5 / 3 / 1` } : {}),
      ...(all || format === "graph" ? { graph: g } : {}),
      ...(all ? { graph_hierarchical: { ...g, layout: "hierarchical_by_agent" } } : {}),
      ...(all || format === "report" ? { report: `# ${title}\n\n${answer}\n` } : {}),
      ...(all || format === "json"
        ? {
            json: {
              summary: answer,
              steps: aggregated.steps,
              insights,
              metrics: aggregated.execution_summary,
            },
          }
        : {}),
    },
    usage: { calls: 9, cached_calls: 1, input_tokens: 8200, output_tokens: 3100, llm_ms: 27000 },
    started_at: at(0),
    finished_at: at(31.4),
  };
}

export function fixtureApproval(locale: Locale): ApprovalCard {
  return {
    approval_id: "apr_0f3c9a7e",
    step: 3,
    agent: "contract",
    task:
      locale === "ko"
        ? "상호 비밀유지계약서 초안 작성 (기간 3년) *굵게* <!here>"
        : "Draft a mutual NDA (3-year term) *bold* <!here>",
    reason:
      locale === "ko"
        ? "contract 에이전트의 단계는 항상 승인이 필요합니다."
        : "The contract agent's steps always need approval.",
    requester: "U024BE7LH",
    expires_at: "2025-11-04T09:00:00.000Z",
  };
}

/** The event stream of the fixture run, in time order, for the progress reducer and cards. */
export function fixtureEvents(locale: Locale): RunEvent[] {
  const result = fixtureResult(locale, "chat");
  const base = { threadKey: "slack:T1:C1:1730624400.000100", runId: "run_1", locale };
  const events: RunEvent[] = [
    { ...base, at: at(0), type: "status", status: "planning", message: "" },
    { ...base, at: at(0.8), type: "plan", steps: result.plan, replan: false },
    { ...base, at: at(0.9), type: "status", status: "executing", message: "" },
  ];
  for (const step of result.step_results) {
    const start = Date.parse(step.started_at ?? at(0));
    if (step.approval) {
      const card = {
        ...fixtureApproval(locale),
        approval_id: step.approval.approval_id,
        step: step.step_id,
        agent: step.agent,
      };
      events.push({
        ...base,
        at: new Date(start - 400).toISOString(),
        type: "approval_requested",
        approval: card,
      });
      events.push({
        ...base,
        at: new Date(start - 100).toISOString(),
        type: "approval_decided",
        approval_id: step.approval.approval_id,
        step: step.step_id,
        agent: step.agent,
        approval: card,
        task: step.task,
        decision: step.approval.decision,
        by: step.approval.by,
        ...(step.approval.edited_task ? { edited_task: step.approval.edited_task } : {}),
      });
    }
    if (step.status !== "skipped") {
      events.push({
        ...base,
        at: step.started_at ?? at(0),
        type: "step_started",
        step_id: step.step_id,
        agent: step.agent,
        task: step.task,
        attempt: 1,
      });
    }
    events.push({
      ...base,
      at: step.finished_at ?? at(0),
      type: "step_finished",
      step_id: step.step_id,
      agent: step.agent,
      status: step.status,
      summary: step.result.slice(0, 80),
      confidence: step.confidence,
      ms: step.duration_ms,
      ...(step.error ? { error: step.error } : {}),
    });
  }
  events.push({ ...base, at: at(31.4), type: "result", result });
  // Stable sort: events at the same instant keep the order they were pushed in.
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => Date.parse(a.event.at) - Date.parse(b.event.at) || a.index - b.index)
    .map(({ event }) => event);
}
