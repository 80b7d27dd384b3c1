import { openStore } from "./src/store/index.js";
import { KnowledgeBase } from "./src/tools/kb/index.js";
const store = await openStore({});
const kb = new KnowledgeBase(store.knowledge);
console.log(await kb.seedIfEmpty("kb/sample"));
for (const q of ["연차 휴가는 며칠인가요?", "How many vacation days do I get?", "계약서를 검토해 주세요", "NDA 검토 체크리스트 알려줘", "who can approve a step", "승인 만료 시간은?", "what is the capital of France", "carry over unused days"]) {
  const r = await kb.search(q, { limit: 3 });
  console.log(q, r.terms, r.hits.map((h) => [h.source, h.heading, h.score.toFixed(2), h.coverage.toFixed(2), h.snippet.slice(0, 60)]));
}
await store.close();
