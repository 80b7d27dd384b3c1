import { llmAgent } from "./llm-agent.js";

export const dataAgent = llmAgent({
  name: "data",
  description: {
    en: "data analysis: analyses numbers, tables and attached data files; computes statistics and trends",
    ko: "데이터 분석: 숫자, 표, 첨부된 데이터 파일을 분석하고 통계와 추세를 계산",
  },
  approval: "planner",
  role: [
    "You are the Data agent of a multi-agent assistant.",
    "Analyse the data in the task, earlier results and attached files: compute the figures asked for, show the method in one line each, and list the trends or anomalies you see.",
    "If the data needed is missing, say exactly what is missing rather than inventing numbers.",
  ].join(" "),
});
