import type { KbHit, KbSearchResult, KnowledgeBase } from "../../tools/kb/index.js";
import { clip } from "../../vocabulary/index.js";
import { blockQuote, type GroundedAnswer, groundedAnswer, joinSections } from "../answers/grounded.js";
import { SEARCH_ROUTING } from "./search-routing.js";
import { SEARCH_TEXTS } from "./search-texts.js";
import type { AgentContext, AgentDefinition, AgentOutput, AgentStep } from "./types.js";

/** Chunks one step retrieves: a few fit the embedded model's 4k-token context with the question. */
const MAX_CHUNKS = 5;
/** Passage text per prompt: the embedded 270M model has a 4k-token context, hosted models far more. */
const PROMPT_BUDGET = { local: 1_800, hosted: 8_000 } as const;
/** Retrieved text shown in the result itself, per passage. */
const SHOWN_CHARS = 600;
/**
 * A chunk matching under this share of the query's terms (one word of four, a common one) is a chance
 * hit, not an answer: showing it would dress noise up as a source.
 */
const MIN_COVERAGE = 0.3;

const ROLE = [
  "You are the Search agent of a multi-agent assistant. Below are numbered passages retrieved from the",
  "company's knowledge base and the user's attached files. Do what the task asks using only those passages,",
  "and cite the passage numbers you used, like [1]. If the passages do not contain what is asked, say so",
  "plainly. Never add facts from memory.",
].join(" ");

/**
 * Searches the knowledge base (ctx.tools.kb) and the turn's attachments with the step's task (the
 * request when the task finds nothing), then lets the model answer from the passages found alone,
 * citing them as file and snippet. Nothing found is said as it is, with no model call: an answer from
 * memory would be an invention presented as a finding.
 */
async function run(step: AgentStep, ctx: AgentContext): Promise<AgentOutput> {
  const texts = SEARCH_TEXTS[ctx.locale];
  const kb = ctx.tools.kb;
  if (!kb) return { result: texts.noKb, confidence: 0, fallback: true };
  const found = await retrieve(kb, step, ctx);
  ctx.signal.throwIfAborted();
  if (found.terms.length === 0) return { result: texts.noTerms, confidence: 0, fallback: true };
  if (found.hits.length === 0) {
    const terms = found.terms.map((term) => `"${term}"`).join(", ");
    return { result: texts.nothingFound(terms), confidence: 0.1, fallback: true };
  }
  return answerFromPassages(step, ctx, found.hits);
}

async function retrieve(kb: KnowledgeBase, step: AgentStep, ctx: AgentContext): Promise<KbSearchResult> {
  const search = async (query: string) => {
    const result = await kb.search(query, { limit: MAX_CHUNKS, attachments: ctx.attachments });
    const best = Math.max(0, ...result.hits.map((hit) => hit.coverage));
    const floor = Math.max(MIN_COVERAGE, best / 2);
    return { terms: result.terms, hits: result.hits.filter((hit) => hit.coverage >= floor) };
  };
  const own = await search(step.task);
  // A planner's task can be terser than the question ("look it up"); the request then says what.
  if (own.hits.length > 0 || ctx.request.trim() === step.task.trim()) return own;
  const asked = await search(ctx.request);
  return asked.terms.length > 0 ? asked : own;
}

function titleOf(hit: KbHit, attachedLabel: string): string {
  const section = hit.heading.split(" › ").at(-1);
  const where = section ? `${hit.source} § ${section}` : hit.source;
  return hit.attached ? `${where} (${attachedLabel})` : where;
}

async function answerFromPassages(step: AgentStep, ctx: AgentContext, hits: KbHit[]): Promise<AgentOutput> {
  const texts = SEARCH_TEXTS[ctx.locale];
  const local = ctx.llm.provider === "local";
  const perPassage = Math.floor((local ? PROMPT_BUDGET.local : PROMPT_BUDGET.hosted) / hits.length);
  const passages = hits.map((hit, index) => ({
    hit,
    number: index + 1,
    title: titleOf(hit, texts.attached),
    text: clip(hit.body, perPassage),
  }));
  const sources = passages.map(({ title, hit }) => ({ title, snippet: hit.snippet }));
  const citations = [
    texts.sources,
    ...passages.map(({ number, title, hit }) => `- [${number}] ${title}: "${hit.snippet}"`),
  ];
  const shown = passages.flatMap(({ number, title, hit }) => [
    `**[${number}] ${title}**`,
    "",
    blockQuote(clip(hit.body, SHOWN_CHARS)),
    "",
  ]);
  const best = Math.max(...hits.map((hit) => hit.coverage));

  const answer = await modelAnswer(step, ctx, passages);
  if (!answer) {
    return {
      result: joinSections([texts.modelUnusable], [texts.retrieved, "", ...shown], citations),
      // The passages are real, only unsummarised: as trustworthy as the retrieval, halved.
      confidence: 0.5 * best,
      fallback: true,
      sources,
    };
  }
  return {
    // A small model's answer is easy to check against what it read, so show that too.
    result: joinSections([answer.result], local ? [texts.retrieved, "", ...shown] : [], citations),
    // A small model's own estimate is noise (the 270M one says 0); the answer was checked against the
    // passages, so the retrieval's coverage carries half the weight.
    confidence: best * (0.5 + 0.5 * Math.min(1, Math.max(0, answer.confidence))),
    ...(answer.degenerate ? { degenerate: answer.degenerate } : {}),
    sources,
  };
}

/** The model's answer from the passages (answers/grounded.ts); undefined when it gave none usable. */
function modelAnswer(
  step: AgentStep,
  ctx: AgentContext,
  passages: { number: number; title: string; text: string; hit: KbHit }[],
): Promise<GroundedAnswer | undefined> {
  return groundedAnswer(step, ctx, {
    agent: "search",
    role: ROLE,
    retryRole:
      "Answer the task in two to five full sentences from the numbered passages below, and only from them. Cite them like [1].",
    blocks: passages.map(({ number, title, text }) => `[${number}] ${title}\n---\n${text}\n---`),
    context: { passages: passages.map(({ number, title, text }) => ({ number, title, text })) },
    known: passages.map(({ title, hit }) => `${title}\n${hit.body}`).join("\n"),
  });
}

export const searchAgent: AgentDefinition = {
  name: "search",
  description: {
    en: "knowledge-base search: finds answers in the company's documents (policies, guides, checklists) and attached files, and cites them",
    ko: "지식 베이스 검색: 회사 문서(정책, 안내, 체크리스트)와 첨부 파일에서 답을 찾아 출처와 함께 제시",
  },
  routing: SEARCH_ROUTING,
  approval: "planner",
  run,
};
