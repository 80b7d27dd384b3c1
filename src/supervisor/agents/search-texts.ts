import type { Locale } from "../../vocabulary/index.js";

/** What the search agent says in its own voice, per language (the model's answers are its own). */
export const SEARCH_TEXTS = {
  en: {
    noKb: "This deployment has no knowledge base, so I searched nothing and will not answer from memory.",
    noTerms:
      "The step gives no words to search the knowledge base for, so I found nothing. Ask about a topic (a policy, a procedure, a document).",
    nothingFound: (terms: string) =>
      `I found nothing about ${terms} in the knowledge base or the attached files, so I cannot answer this from them. No answer was made up; ingest the documents that cover it (npm run kb:ingest) or attach them.`,
    sources: "Sources:",
    attached: "attached",
    retrieved: "Retrieved passages:",
    modelUnusable:
      "The model gave no usable answer from the passages found, so here they are as retrieved from the knowledge base.",
  },
  ko: {
    noKb: "이 배포에는 지식 베이스가 없어 아무것도 검색하지 않았으며, 기억에 의존해 답하지 않겠습니다.",
    noTerms:
      "이 단계에는 지식 베이스에서 찾을 단어가 없어 찾은 내용이 없습니다. 정책, 절차, 문서처럼 주제를 넣어 다시 물어봐 주세요.",
    nothingFound: (terms: string) =>
      `지식 베이스와 첨부 파일에서 ${terms}에 관한 내용을 찾지 못해, 이 자료로는 답할 수 없습니다. 답을 지어내지 않았습니다. 관련 문서를 지식 베이스에 넣거나(npm run kb:ingest) 첨부해 주세요.`,
    sources: "출처:",
    attached: "첨부",
    retrieved: "찾은 본문:",
    modelUnusable:
      "모델이 찾은 본문에서 쓸 만한 답을 만들지 못해, 지식 베이스에서 찾은 본문을 그대로 보여 드립니다.",
  },
} as const satisfies Record<Locale, Record<string, string | ((terms: string) => string)>>;
