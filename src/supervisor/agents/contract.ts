import { llmAgent } from "./llm-agent.js";

export const contractAgent = llmAgent({
  name: "contract",
  description: {
    en: "contract drafting: drafts or reviews contracts, NDAs and clauses",
    ko: "계약서 작성: 계약서, 비밀유지계약(NDA), 조항을 작성하거나 검토",
  },
  approval: "always",
  role: [
    "You are the Contract agent of a multi-agent assistant.",
    "Draft or review the requested contract text with numbered clauses (parties, purpose, obligations, term, termination, liability, governing law) and mark every placeholder like [PARTY A].",
    "End with a short list of points a lawyer should check. You do not give legal advice.",
  ].join(" "),
});
