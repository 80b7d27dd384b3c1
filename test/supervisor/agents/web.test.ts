import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ScriptedLlm } from "../../../src/llm/scripted.js";
import { webAgent } from "../../../src/supervisor/agents/web.js";
import { GuardedWebFetcher } from "../../../src/tools/web/index.js";
import { startTestSite, type TestSite } from "../../tools/web/site.js";
import { agentContext, asLocalModel } from "./context.js";

let site: TestSite;
const fetchers: GuardedWebFetcher[] = [];

beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((fetcher) => fetcher.close()));
  site.hits.length = 0;
});

/** The fetcher with the test-only option that opens the local site (and nothing else on 127.0.0.1). */
function siteFetcher() {
  const fetcher = new GuardedWebFetcher({ testOnlyLoopbackPort: site.port, timeoutMs: 5_000 });
  fetchers.push(fetcher);
  return fetcher;
}

function defaultFetcher() {
  const fetcher = new GuardedWebFetcher({ timeoutMs: 5_000 });
  fetchers.push(fetcher);
  return fetcher;
}

const step = (task: string) => ({ id: 1, task, description: "" });

/** A model that answers from the page text it was given, and records what it was shown. */
function pageReader(answer: (pageText: string) => string) {
  return new ScriptedLlm({
    handlers: {
      "agent:web": ({ messages }) => ({ result: answer(messages[1]?.content ?? ""), confidence: 0.9 }),
    },
  });
}

describe("the web agent", () => {
  it("reads the page in the task and answers from its text, citing title and URL", async () => {
    const llm = pageReader((text) =>
      text.includes("2년에서 5년") ? "비밀유지 기간은 보통 2년에서 5년입니다 (계약서 검토 가이드)." : "없음",
    );
    const task = `${site.origin}/article 페이지에서 비밀유지 기간을 알려줘`;
    const output = await webAgent.run(
      step(task),
      agentContext(llm, { locale: "ko", request: task, tools: { fetch: siteFetcher() } }),
    );
    expect(output.fallback).toBeUndefined();
    expect(output.result).toContain("비밀유지 기간은 보통 2년에서 5년입니다");
    expect(output.result).toContain(`- [계약서 검토 가이드 | 예시 법률사무소](${site.origin}/article)`);
    expect(output.sources).toEqual([
      { title: "계약서 검토 가이드 | 예시 법률사무소", url: `${site.origin}/article` },
    ]);
    expect(output.confidence).toBeCloseTo(0.9);
    const prompt = llm.calls[0]?.messages[1]?.content ?? "";
    expect(prompt).toContain("## 비밀유지 조항");
    expect(prompt).not.toContain("사무소 소개");
    // A hosted model's answer stands alone; the excerpt is for the embedded model.
    expect(output.result).not.toContain("가져온 본문");
  });

  it("shows the embedded model's reader the fetched text itself", async () => {
    const llm = asLocalModel(pageReader(() => "An octopus has three hearts, says the Octopus facts page."));
    const task = `Read ${site.origin}/english and say how many hearts an octopus has`;
    const output = await webAgent.run(
      step(task),
      agentContext(llm, { request: task, tools: { fetch: siteFetcher() } }),
    );
    expect(output.result).toContain("An octopus has three hearts, says the Octopus facts page.");
    expect(output.result).toContain("Fetched text (excerpt):");
    expect(output.result).toContain("> An octopus has three hearts and blue blood.");
  });

  it("says which page it could not read and why, and never describes it (the default guard)", async () => {
    const llm = new ScriptedLlm();
    const task = `Summarise ${site.origin}/english`;
    const output = await webAgent.run(
      step(task),
      agentContext(llm, { request: task, tools: { fetch: defaultFetcher() } }),
    );
    expect(output).toMatchObject({ confidence: 0, fallback: true });
    expect(output.result).toBe(
      [
        "I could not read any of the pages, so I cannot say what they contain:",
        `- ${site.origin}/english: refused: 127.0.0.1 is not a public address (loopback)`,
      ].join("\n"),
    );
    expect(output.sources).toBeUndefined();
    expect(llm.calls).toEqual([]);
    expect(site.hits).toEqual([]);
  });

  it("says it could not fetch when there is no network, and describes nothing", async () => {
    const offline = new GuardedWebFetcher({
      resolve: () => Promise.reject(Object.assign(new Error("getaddrinfo EAI_AGAIN"), { code: "EAI_AGAIN" })),
    });
    fetchers.push(offline);
    const llm = new ScriptedLlm();
    const task = "Read https://example.org/pricing and list the plans";
    const output = await webAgent.run(
      step(task),
      agentContext(llm, { request: task, tools: { fetch: offline } }),
    );
    expect(output).toMatchObject({ confidence: 0, fallback: true });
    expect(output.result).toBe(
      [
        "I could not read any of the pages, so I cannot say what they contain:",
        "- https://example.org/pricing: the host name example.org could not be resolved",
      ].join("\n"),
    );
    expect(llm.calls).toEqual([]);
  });

  it("names a redirect to the metadata endpoint as the reason, in Korean", async () => {
    const llm = new ScriptedLlm();
    const task = `${site.origin}/redirect?to=http://2852039166/latest/meta-data/ 읽어 줘`;
    const output = await webAgent.run(
      step(task),
      agentContext(llm, { locale: "ko", request: task, tools: { fetch: siteFetcher() } }),
    );
    expect(output).toMatchObject({ confidence: 0, fallback: true });
    expect(output.result).toContain("페이지를 하나도 읽지 못했으므로");
    expect(output.result).toContain("169.254.169.254은(는) 공개 주소가 아닙니다(클라우드 메타데이터)");
    expect(llm.calls).toEqual([]);
  });

  it("answers from the pages it read and lists the ones it could not", async () => {
    const llm = pageReader(() => "Opening hours are Monday to Friday, 9:00 to 18:00.");
    const task = `Get the opening hours from ${site.origin}/plain and ${site.origin}/private/page.`;
    const output = await webAgent.run(
      step(task),
      agentContext(llm, { request: task, tools: { fetch: siteFetcher() } }),
    );
    expect(output.result).toContain("Opening hours are Monday to Friday");
    expect(output.result).toContain(
      `Could not read:\n- ${site.origin}/private/page: the site's robots.txt does not allow fetching this page`,
    );
    expect(output.sources).toEqual([{ title: "plain", url: `${site.origin}/plain` }]);
    expect(output.confidence).toBeCloseTo(0.45);
  });

  it("reads the pages an earlier step cited when its own task names none", async () => {
    const llm = pageReader((text) => (text.includes("three hearts") ? "Three hearts." : "Unknown."));
    const output = await webAgent.run(
      step("Read the page the search found and list the facts"),
      agentContext(llm, {
        request: "find octopus facts and read the page",
        tools: { fetch: siteFetcher() },
        dependencies: [
          {
            step_id: 1,
            agent: "search",
            task: "find octopus facts",
            result: "One page matched.",
            sources: [{ title: "Octopus facts", url: `${site.origin}/english` }],
          },
        ],
      }),
    );
    expect(output.result).toContain("Three hearts.");
    expect(output.sources).toEqual([{ title: "Octopus facts", url: `${site.origin}/english` }]);
  });

  it("shows the fetched text, marked, when the model's answers are unusable", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        "agent:web": () => ({ result: "10", confidence: 0.9 }),
        "agent:web:retry": () => ({ result: "10", confidence: 0.9 }),
      },
    });
    const task = `Read ${site.origin}/english`;
    const output = await webAgent.run(
      step(task),
      agentContext(llm, { request: task, tools: { fetch: siteFetcher() } }),
    );
    expect(output).toMatchObject({ confidence: 0, fallback: true });
    expect(output.result).toContain("The model gave no usable answer from the page");
    expect(output.result).toContain("> An octopus has three hearts and blue blood.");
    expect(output.sources).toHaveLength(1);
  });

  it("does not pass off a number the page does not have as the page's, asking again, then showing the page", async () => {
    const invented = new ScriptedLlm({
      handlers: {
        "agent:web": () => ({ result: "비밀유지 기간은 2018-04-30까지입니다.", confidence: 1 }),
        "agent:web:retry": () => ({
          result: "비밀유지 기간은 보통 2년에서 5년 사이입니다.",
          confidence: 0.7,
        }),
      },
    });
    const task = `${site.origin}/article 페이지에서 비밀유지 기간을 알려줘`;
    const context = (llm: ScriptedLlm) =>
      agentContext(llm, { locale: "ko", request: task, tools: { fetch: siteFetcher() } });
    const retried = await webAgent.run(step(task), context(invented));
    expect(retried).toMatchObject({ degenerate: "ungrounded", confidence: 0.7 });
    expect(retried.result).toContain("비밀유지 기간은 보통 2년에서 5년 사이입니다.");
    expect(retried.result).not.toContain("2018");

    const stubborn = new ScriptedLlm({
      handlers: { agent: () => ({ result: "비밀유지 기간은 2018-04-30까지입니다.", confidence: 1 }) },
    });
    const shown = await webAgent.run(step(task), context(stubborn));
    expect(shown).toMatchObject({ confidence: 0, fallback: true });
    expect(shown.result).toContain("모델이 페이지에서 쓸 만한 답을 만들지 못해");
    expect(shown.result).toContain("> 비밀정보의 정의와 예외, 유지 기간을 명확히 적으세요.");
    expect(shown.result).not.toContain("2018");
  });

  it("says so honestly when the step names no page, or the deployment has no web access", async () => {
    const llm = new ScriptedLlm();
    const none = await webAgent.run(
      step("Crawl the homepage of a bakery site and extract its opening hours"),
      agentContext(llm, { request: "Crawl the bakery's homepage", tools: { fetch: defaultFetcher() } }),
    );
    expect(none).toMatchObject({ confidence: 0, fallback: true });
    expect(none.result).toContain("This step names no web address");
    const offline = await webAgent.run(
      step("Read https://example.org/pricing and list the plans"),
      agentContext(llm, { request: "Read https://example.org/pricing" }),
    );
    expect(offline).toMatchObject({ confidence: 0, fallback: true });
    expect(offline.result).toContain("This deployment has no web access");
    expect(offline.result).toContain("- https://example.org/pricing");
    expect(llm.calls).toEqual([]);
  });
});
