import type { AgentRouting } from "./types.js";

/** Words and examples that point the planner to the knowledge-base search. */
export const SEARCH_ROUTING: AgentRouting = {
  keywords: {
    en: ["search", "find", "look up", "research", "policy", "knowledge base"],
    ko: ["검색", "찾아", "조사", "정책", "규정", "지식 베이스"],
  },
  hints: {
    en: [
      "what is",
      "what are",
      "who is",
      "who was",
      "who wrote",
      "when did",
      "when was",
      "where is",
      "why",
      "how does",
      "how do",
      "how many",
      "explain",
      "tell me about",
      "capital",
      "history of",
      "definition",
      "define",
      "overview",
      "facts",
      "difference between",
      "meaning of",
    ],
    ko: [
      "알려",
      "무엇",
      "뭐야",
      "뭔가요",
      "누구",
      "언제",
      "어디",
      "왜",
      "며칠",
      "설명해",
      "설명하",
      "정의",
      "역사",
      "수도",
      "차이",
      "의미",
    ],
  },
  examples: {
    en: [
      {
        request: "How many vacation days do I get?",
        steps: [{ task: "Find the annual leave days in the vacation policy" }],
      },
      {
        request: "Find what our NDA review checklist says about the confidentiality period",
        steps: [{ task: "Find the confidentiality period rule in the NDA review checklist" }],
      },
    ],
    ko: [
      { request: "연차 휴가는 며칠이야?", steps: [{ task: "휴가 정책에서 연차 휴가 일수 찾기" }] },
      {
        request: "NDA 검토 체크리스트에서 비밀유지 기간 기준을 찾아 줘",
        steps: [{ task: "NDA 검토 체크리스트의 비밀유지 기간 기준 찾기" }],
      },
    ],
  },
};
