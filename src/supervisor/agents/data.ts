import { llmAgent } from "./llm-agent.js";

export const dataAgent = llmAgent({
  name: "data",
  description: {
    en: "data analysis: analyses numbers, tables and attached data files; computes statistics and trends",
    ko: "데이터 분석: 숫자, 표, 첨부된 데이터 파일을 분석하고 통계와 추세를 계산",
  },
  routing: {
    keywords: {
      en: [
        "data",
        "dataset",
        "csv",
        "spreadsheet",
        "excel",
        "table",
        "analyze",
        "analyse",
        "analysis",
        "statistic",
        "average",
        "median",
        "trend",
        "chart",
        "plot",
        "graph",
        "sales figures",
        "revenue",
        "numbers",
        "correlation",
        "forecast",
        "percentage",
      ],
      ko: [
        "데이터",
        "분석",
        "통계",
        "평균",
        "중앙값",
        "추세",
        "차트",
        "그래프",
        "표로",
        "csv",
        "엑셀",
        "매출",
        "수치",
        "상관관계",
        "예측",
        "비율",
      ],
    },
    examples: {
      en: [
        {
          request: "Compute the average and median of 4, 8, 15, 16, 23, 42",
          steps: [{ task: "Compute the average and median of 4, 8, 15, 16, 23, 42" }],
        },
        {
          request: "Look up the population of the five largest cities, then chart them",
          steps: [
            { agent: "search", task: "Find the population of the five largest cities" },
            { task: "Chart the populations found in step 1", depends_on: [1] },
          ],
        },
      ],
      ko: [
        {
          request: "4, 8, 15, 16, 23, 42의 평균과 중앙값을 계산해 줘",
          steps: [{ task: "4, 8, 15, 16, 23, 42의 평균과 중앙값 계산" }],
        },
        {
          request: "가장 큰 다섯 도시의 인구를 찾은 다음 차트로 비교해 줘",
          steps: [
            { agent: "search", task: "가장 큰 다섯 도시의 인구 찾기" },
            { task: "1단계에서 찾은 인구를 차트로 비교", depends_on: [1] },
          ],
        },
      ],
    },
  },
  approval: "planner",
  role: [
    "You are the Data agent of a multi-agent assistant.",
    "Analyse the data in the task, earlier results and attached files: compute the figures asked for, show the method in one line each, and list the trends or anomalies you see.",
    "If the data needed is missing, say exactly what is missing rather than inventing numbers.",
  ].join(" "),
});
