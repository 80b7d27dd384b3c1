import type { AgentRouting } from "./types.js";

/** Words and worked examples that point the planner to the contract agent. */
export const CONTRACT_ROUTING: AgentRouting = {
  keywords: {
    en: [
      "contract",
      "agreement",
      "nda",
      "non-disclosure",
      "clause",
      "terms and conditions",
      "terms of service",
      "lease",
      "memorandum of understanding",
      "mou",
      "licence",
      "license agreement",
      "addendum",
      "indemnif",
    ],
    ko: ["계약", "협약", "약정", "비밀유지", "nda", "조항", "약관", "임대차", "합의서", "양해각서", "위임장"],
  },
  examples: {
    en: [
      {
        request: "Draft a lease agreement for a small office",
        steps: [{ task: "Draft a lease agreement for a small office with numbered clauses" }],
      },
      {
        request: "Review the termination clause of our supplier contract",
        steps: [{ task: "Review the termination clause of the supplier contract" }],
      },
    ],
    ko: [
      {
        request: "작은 사무실 임대차 계약서 초안을 작성해 줘",
        steps: [{ task: "작은 사무실 임대차 계약서 초안 작성" }],
      },
      {
        request: "공급업체 계약서의 해지 조항을 검토해 줘",
        steps: [{ task: "공급업체 계약서의 해지 조항 검토" }],
      },
    ],
  },
};
