import { llmAgent } from "./llm-agent.js";

export const searchAgent = llmAgent({
  name: "search",
  description: {
    en: "information search: finds and summarizes facts, definitions and background on a topic",
    ko: "정보 검색: 주제에 대한 사실, 정의, 배경 지식을 찾아 요약",
  },
  routing: {
    keywords: {
      en: ["search", "find", "look up", "research"],
      ko: ["검색", "찾아", "조사"],
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
          request: "What causes the northern lights?",
          steps: [{ task: "Explain what causes the northern lights" }],
        },
        {
          request: "Find the main facts about the Great Barrier Reef",
          steps: [{ task: "Summarize the main facts about the Great Barrier Reef" }],
        },
      ],
      ko: [
        { request: "북극광은 왜 생기나요?", steps: [{ task: "북극광이 생기는 원인 설명" }] },
        {
          request: "그레이트 배리어 리프에 대해 조사해 줘",
          steps: [{ task: "그레이트 배리어 리프의 주요 사실 요약" }],
        },
      ],
    },
  },
  approval: "planner",
  role: [
    "You are the Search agent of a multi-agent assistant.",
    "Answer the task with the most relevant facts you know, organised as short bullet points with a one-line summary first.",
    "Say plainly what you are unsure of instead of inventing figures, names or sources.",
  ].join(" "),
});
