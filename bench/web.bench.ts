import { ScriptedLlm } from "../src/llm/scripted.js";
import { contractAgent } from "../src/supervisor/agents/contract.js";
import type { AgentContext } from "../src/supervisor/agents/types.js";
import { webAgent } from "../src/supervisor/agents/web.js";
import { GuardedWebFetcher } from "../src/tools/web/index.js";
import { htmlToMarkdown } from "../src/tools/web/markdown.js";
import { LONG_ARTICLE, startTestSite } from "../test/tools/web/site.js";
import { percentile, table } from "./stats.js";

/**
 * What the web and contract tools cost besides the model: fetching a local page through the guard
 * (connector check, robots.txt from the cache, body read), HTML to Markdown, the web agent around a
 * model that answers at once, and a contract draft from its template. Printed, never asserted.
 */
const RUNS = 40;

async function timed(runs: number, one: () => Promise<unknown> | unknown): Promise<number[]> {
  for (let i = 0; i < 10; i += 1) await one();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await one();
    times.push(performance.now() - started);
  }
  return times;
}

const row = (label: string, times: number[]): [string, string] => [
  label,
  `p50 ${percentile(times, 50).toFixed(2)} ms · p95 ${percentile(times, 95).toFixed(2)} ms`,
];

function context(request: string, locale: "en" | "ko", fetcher?: GuardedWebFetcher): AgentContext {
  return {
    llm: new ScriptedLlm({
      handlers: { "agent:web": () => ({ result: "비밀유지 기간은 2년에서 5년입니다.", confidence: 0.8 }) },
    }),
    locale,
    signal: new AbortController().signal,
    request,
    dependencies: [],
    history: [],
    attachments: [],
    tools: fetcher ? { fetch: fetcher } : {},
    onUsage: () => {},
  };
}

export default async function main(): Promise<void> {
  const site = await startTestSite();
  const fetcher = new GuardedWebFetcher({ testOnlyLoopbackPort: site.port });
  try {
    const article = await timed(RUNS, () => fetcher.fetchPage(`${site.origin}/article`));
    const long = await timed(RUNS / 4, () => fetcher.fetchPage(`${site.origin}/long`));
    const convert = await timed(RUNS / 4, () => htmlToMarkdown(LONG_ARTICLE, "https://law.example/long"));
    const task = `${site.origin}/article 에서 비밀유지 기간을 알려줘`;
    const agent = await timed(RUNS, () =>
      webAgent.run({ id: 1, task, description: "" }, context(task, "ko", fetcher)),
    );
    const request =
      "가나소프트와 다라전자 사이의 웹사이트 개발 용역 계약서를 써 줘. 월 500만 원, 2027년 1월 2일 시작";
    const draft = await timed(RUNS, () =>
      contractAgent.run({ id: 1, task: request, description: "" }, context(request, "ko")),
    );
    table(`web fetch and contract drafts (${RUNS} runs each; the long page ${RUNS / 4})`, [
      row("fetch a 2 KB Korean article (local, robots cached)", article),
      row(`fetch a ${Math.round(LONG_ARTICLE.length / 1024)} K-char article`, long),
      row("HTML to Markdown alone, the long article", convert),
      row("web agent: fetch + excerpt + instant model", agent),
      row("contract agent: Korean services agreement", draft),
    ]);
  } finally {
    await fetcher.close();
    await site.close();
  }
}
