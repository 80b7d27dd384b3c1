import { excerpt, isWebFetchError, urlsIn, type WebPage } from "../../tools/web/index.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import { blockQuote, type GroundedAnswer, groundedAnswer, joinSections } from "../answers/grounded.js";
import type { AgentContext, AgentDefinition, AgentOutput, AgentStep } from "./types.js";
import { WEB_ROUTING } from "./web-routing.js";
import { failureReason, WEB_TEXTS } from "./web-texts.js";

/** Pages one step reads at most; the rest of the URLs are left for a step of their own. */
const MAX_PAGES = 4;
/** Page text per prompt: the embedded 270M model has a 4k-token context, hosted models far more. */
const PROMPT_BUDGET = { local: 1_800, hosted: 8_000 } as const;
/** Fetched text shown in the result itself, per page. */
const SHOWN_CHARS = 1_200;

const ROLE = [
  "You are the Web agent of a multi-agent assistant. Below is the text of web pages that were just fetched.",
  "Do what the task asks using only that text. If the pages do not contain what is asked, say so plainly.",
  "Never add facts from memory. Name the page (title) each fact comes from.",
].join(" ");

interface Failure {
  url: string;
  reason: string;
}

/** The URLs a step should read: its task's, else those earlier steps cited or wrote, else the request's. */
export function urlsToRead(step: AgentStep, ctx: Pick<AgentContext, "dependencies" | "request">): string[] {
  const own = urlsIn(step.task, MAX_PAGES);
  if (own.length > 0) return own;
  const fromSteps = ctx.dependencies.flatMap((dep) => [
    ...(dep.sources ?? []).flatMap((source) => (source.url ? urlsIn(source.url) : [])),
    ...urlsIn(dep.result),
  ]);
  const unique = [...new Set(fromSteps)].slice(0, MAX_PAGES);
  return unique.length > 0 ? unique : urlsIn(ctx.request, MAX_PAGES);
}

/**
 * Reads the pages a step names with the guarded fetcher (ctx.tools.fetch), then lets the model do the
 * task from their text alone, citing title and URL. A page it could not read is named with the reason;
 * when none could be read (no web access, every URL refused or failing) or the step names none, the
 * step says so and describes nothing: a page not read is a page not described.
 */
async function run(step: AgentStep, ctx: AgentContext): Promise<AgentOutput> {
  const texts = WEB_TEXTS[ctx.locale];
  const urls = urlsToRead(step, ctx);
  if (urls.length === 0) return { result: texts.noUrl, confidence: 0, fallback: true };
  const fetcher = ctx.tools.fetch;
  if (!fetcher)
    return {
      result: [texts.noFetcher, ...urls.map((url) => `- ${url}`)].join("\n"),
      confidence: 0,
      fallback: true,
    };

  const outcomes = await Promise.all(
    urls.map((url) =>
      fetcher.fetchPage(url, { signal: ctx.signal, locale: ctx.locale }).then(
        (page) => ({ url, page }),
        (error: unknown) => ({ url, error }),
      ),
    ),
  );
  ctx.signal.throwIfAborted();
  const pages: WebPage[] = [];
  const failures: Failure[] = [];
  for (const outcome of outcomes) {
    if ("page" in outcome) pages.push(outcome.page);
    else failures.push({ url: outcome.url, reason: reasonOf(ctx.locale, outcome.error) });
  }
  if (pages.length === 0) {
    const lines = failures.map((failure) => `- ${failure.url}: ${failure.reason}`);
    return { result: [texts.noneRead, ...lines].join("\n"), confidence: 0, fallback: true };
  }
  return answerFromPages(step, ctx, pages, failures, urls.length);
}

function reasonOf(locale: Locale, error: unknown): string {
  if (isWebFetchError(error)) return failureReason(locale, error.code, error.params);
  return failureReason(locale, "network", { detail: error instanceof Error ? error.message : String(error) });
}

async function answerFromPages(
  step: AgentStep,
  ctx: AgentContext,
  pages: WebPage[],
  failures: Failure[],
  asked: number,
): Promise<AgentOutput> {
  const texts = WEB_TEXTS[ctx.locale];
  const local = ctx.llm.provider === "local";
  const query = step.task.replace(/https?:\/\/\S+/g, " ");
  const perPage = Math.floor((local ? PROMPT_BUDGET.local : PROMPT_BUDGET.hosted) / pages.length);
  const shown = pages.map((page) => ({ page, text: excerpt(page.markdown, query, perPage) }));
  const sources = pages.map((page) => ({ title: page.title, url: page.finalUrl }));
  const citations = [texts.sources, ...pages.map((page) => `- [${page.title}](${page.finalUrl})`)];
  const unread =
    failures.length > 0 ? [texts.partlyRead, ...failures.map((f) => `- ${f.url}: ${f.reason}`)] : [];
  const fetchedText = shown.flatMap(({ page, text }) => [
    `**${page.title}** (${page.finalUrl})`,
    "",
    blockQuote(clip(text, SHOWN_CHARS)),
    "",
  ]);

  const answer = await modelAnswer(step, ctx, shown);
  if (!answer) {
    return {
      result: joinSections([texts.modelUnusable], [texts.fetched, "", ...fetchedText], citations, unread),
      confidence: 0,
      fallback: true,
      sources,
    };
  }
  return {
    // A small model's answer is easy to check against the text it came from, so show that text too.
    result: joinSections(
      [answer.result],
      local ? [texts.fetched, "", ...fetchedText] : [],
      citations,
      unread,
    ),
    confidence: Math.min(1, answer.confidence) * (pages.length / asked),
    ...(answer.degenerate ? { degenerate: answer.degenerate } : {}),
    sources,
  };
}

/** The model's answer from the pages (answers/grounded.ts); undefined when it gave none usable. */
function modelAnswer(
  step: AgentStep,
  ctx: AgentContext,
  shown: { page: WebPage; text: string }[],
): Promise<GroundedAnswer | undefined> {
  return groundedAnswer(step, ctx, {
    agent: "web",
    role: ROLE,
    retryRole: "Answer the task in two to five full sentences from the page text below, and only from it.",
    blocks: shown.map(
      ({ page, text }, index) => `Page ${index + 1}: ${page.title}\nURL: ${page.finalUrl}\n---\n${text}\n---`,
    ),
    context: { pages: shown.map(({ page, text }) => ({ title: page.title, url: page.finalUrl, text })) },
    known: shown.flatMap(({ page }) => [page.markdown, page.finalUrl, page.title]).join("\n"),
  });
}

export const webAgent: AgentDefinition = {
  name: "web",
  description: {
    en: "web reading: fetches the web pages (URLs) named in the request and extracts what matters from their text",
    ko: "웹 읽기: 요청에 나온 웹 페이지(URL)를 가져와 그 본문에서 핵심 내용을 추출",
  },
  routing: WEB_ROUTING,
  approval: "planner",
  run,
};
