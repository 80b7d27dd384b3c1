import { describe, expect, it } from "vitest";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { DEFAULT_AGENTS } from "../../src/supervisor/agents/index.js";
import type { AgentDefinition } from "../../src/supervisor/agents/types.js";
import { refersBack, relevantHistory } from "../../src/supervisor/context.js";
import type { ProposedStep } from "../../src/supervisor/plan.js";
import { AgentRegistry } from "../../src/supervisor/registry.js";
import { combinePlans } from "../../src/supervisor/routing/combine.js";
import { keywordIndex, lexicalPrior, priorPlan } from "../../src/supervisor/routing/prior.js";
import { chooseExamples, plannerMessages } from "../../src/supervisor/routing/prompt.js";
import { planSchema, routeRequest } from "../../src/supervisor/routing/route.js";

const registry = new AgentRegistry(DEFAULT_AGENTS);
const agents = registry.definitions;
const prior = (request: string) => lexicalPrior(request, agents);
const step = (id: number, agent: string, task: string, depends_on: number[] = []): ProposedStep => ({
  id,
  agent,
  task,
  depends_on,
  needs_approval: false,
});

describe("the lexical prior", () => {
  it("matches English words at word starts and Korean words inside words", () => {
    expect(keywordIndex("sign the nda today", "nda")).toBe(9);
    expect(keywordIndex("the agenda for today", "nda")).toBe(-1);
    expect(keywordIndex("fix the bugs", "bug")).toBe(8);
    expect(keywordIndex("an analysis of sales", "analys")).toBe(3);
    expect(keywordIndex("계약서를 검토해 주세요", "계약")).toBe(0);
  });

  it("points each request to its agents in both languages", () => {
    expect(prior("Draft an NDA between Acme Corp and Beta LLC").agents).toEqual(["contract"]);
    expect(prior("Acme와 Beta 사이의 NDA를 작성해 줘").agents).toEqual(["contract"]);
    expect(prior("문자열을 뒤집는 파이썬 코드를 작성해 줘").agents).toEqual(["code"]);
    expect(prior("Read https://example.org and list the plans").agents).toEqual(["web"]);
    expect(prior("매출 데이터를 분석해 줘").agents).toEqual(["data"]);
    // Question words are hints: they decide only when no agent's keyword matched.
    expect(prior("What is the capital of Italy?").agents).toEqual(["search"]);
    expect(prior("Explain this Python code").agents).toEqual(["code"]);
    expect(prior("Good morning").agents).toEqual([]);
  });

  it("lets a longer word of one agent hide a shorter word of another inside it", () => {
    expect(prior("Implement binary search in TypeScript").agents).toEqual(["code"]);
    expect(prior("Search for the population of Seoul").agents).toEqual(["search"]);
  });

  it("plans one step per agent in the order mentioned, chained when the request says then", () => {
    const request = "Search for the population of Seoul, then chart it";
    const plan = priorPlan(request, prior(request));
    expect(plan.map((s) => [s.agent, s.task, s.depends_on])).toEqual([
      ["search", "Search for the population of Seoul", []],
      ["data", "chart it", [1]],
    ]);
    const ko = "서울 인구를 검색한 다음 차트로 그려 줘";
    expect(priorPlan(ko, prior(ko)).map((s) => [s.agent, s.depends_on])).toEqual([
      ["search", []],
      ["data", [1]],
    ]);
    expect(priorPlan("Good morning", prior("Good morning"))).toMatchObject([
      { agent: "search", task: "Good morning" },
    ]);
  });
});

describe("combining the model's plan with the prior", () => {
  const combine = (request: string, model: ProposedStep[] | undefined) =>
    combinePlans({ model, request, prior: prior(request) });

  it("keeps a plan the words support or say nothing against", () => {
    const request = "Search for cats";
    expect(combine(request, [step(1, "search", "find cats")])).toMatchObject({ source: "model" });
    expect(combine("Good morning", [step(1, "web", "greet")])).toMatchObject({
      source: "model",
      steps: [{ agent: "web" }],
    });
  });

  it("replaces an unsupported agent by the one the words point to", () => {
    const request = "Draft an NDA between Acme Corp and Beta LLC";
    const combined = combine(request, [step(1, "search", request)]);
    expect(combined.steps.map((s) => s.agent)).toEqual(["contract"]);
    expect(combined.changes).toEqual([{ kind: "replaced", id: 1, from: "search", to: "contract" }]);
  });

  it("drops unsupported steps that say nothing of their own, keeping dependencies through them", () => {
    const request = "What is the capital of Italy?";
    const combined = combine(request, [
      step(1, "search", "Find the capital of Italy"),
      step(2, "code", "add_user"),
      step(3, "data", "delete_all_users", [2]),
      step(4, "code", "capital of Italy in code", [3]),
    ]);
    expect(combined.steps.map((s) => [s.id, s.agent, s.depends_on])).toEqual([
      [1, "search", []],
      [4, "code", []],
    ]);
  });

  it("adds an agent a sequential request names but the plan lacks, in the request's order", () => {
    const request = "Search for the population of Seoul, then chart it";
    const combined = combine(request, [step(1, "data", "chart the population of Seoul")]);
    expect(combined.steps.map((s) => [s.agent, s.depends_on])).toEqual([
      ["search", []],
      ["data", [2]],
    ]);
    expect(combined.changes.map((c) => c.kind)).toEqual(["added", "chained"]);
  });

  it("uses the prior's plan when the model's output was unusable", () => {
    const request = "문자열을 뒤집는 파이썬 코드를 작성해 줘";
    expect(combine(request, undefined)).toMatchObject({ source: "prior", steps: [{ agent: "code" }] });
  });
});

describe("the planner's prompt and schema", () => {
  it("only accepts the registry's agents", () => {
    const schema = planSchema(registry, 1, 4);
    const plan = (agent: string) => ({
      steps: [{ id: 1, agent, task: "t", depends_on: [], needs_approval: false }],
    });
    expect(schema.safeParse(plan("contract")).success).toBe(true);
    expect(schema.safeParse(plan("20")).success).toBe(false);
    expect(schema.safeParse(plan("}, { ")).success).toBe(false);
  });

  it("shows one example per agent in the request's language, the closest last", () => {
    const chosen = chooseExamples(agents, "ko", "비밀유지계약서를 작성해 줘");
    expect(chosen.map((c) => c.agent).sort()).toEqual(["code", "contract", "data", "search", "web"]);
    expect(chosen.at(-1)?.agent).toBe("contract");
    const messages = plannerMessages({
      agents,
      locale: "ko",
      request: "비밀유지계약서를 작성해 줘",
      history: "",
      attachments: [],
    });
    expect(messages).toHaveLength(1 + 2 * 5 + 1);
    expect(messages.filter((m) => m.role === "user").every((m) => /[가-힣]/.test(m.content))).toBe(true);
    expect(messages.at(-1)).toEqual({ role: "user", content: "Request: 비밀유지계약서를 작성해 줘" });
  });

  it("takes a new agent's examples and keywords from its registry entry", async () => {
    const translate: AgentDefinition = {
      name: "translate",
      description: { en: "translation", ko: "번역" },
      approval: "never",
      routing: {
        keywords: { en: ["translate"], ko: ["번역"] },
        examples: {
          en: [{ request: "Translate hello into French", steps: [{ task: "Translate hello into French" }] }],
          ko: [{ request: "안녕을 영어로 번역해 줘", steps: [{ task: "안녕을 영어로 번역" }] }],
        },
      },
      run: async () => ({ result: "x", confidence: 1 }),
    };
    const extended = new AgentRegistry([...DEFAULT_AGENTS, translate]);
    const llm = new ScriptedLlm({
      handlers: {
        plan: () => ({
          steps: [{ id: 1, agent: "search", task: "이 문장을 번역", depends_on: [], needs_approval: false }],
        }),
      },
    });
    const routed = await routeRequest({
      llm,
      registry: extended,
      agents: extended.definitions,
      maxSteps: 4,
      request: "이 문장을 일본어로 번역해 줘",
      locale: "ko",
      history: "",
      attachments: [],
    });
    expect(routed.steps.map((s) => s.agent)).toEqual(["translate"]);
    expect(routed.steps[0]?.note).toContain("search");
    expect(JSON.stringify(llm.calls[0]?.messages)).toContain("안녕을 영어로 번역");
    expect(llm.calls[0]?.locale).toBe("ko");
  });
});

describe("routing a request", () => {
  const route = (llm: ScriptedLlm, request: string, locale: "ko" | "en" = "en") =>
    routeRequest({ llm, registry, agents, maxSteps: 6, request, locale, history: "", attachments: [] });

  it("plans from the words, and says so, when the model's plan cannot be used", async () => {
    const llm = new ScriptedLlm({ handlers: { plan: () => ({ steps: [{ agent: "20" }] }) } });
    const routed = await route(llm, "Draft an NDA between Acme Corp and Beta LLC");
    expect(routed.model).toBeUndefined();
    expect(routed.steps).toMatchObject([{ agent: "contract", routed_by_keywords: true }]);
    expect(routed.steps[0]?.note).toContain("could not be used");
  });

  it("treats tasks copied from an example, empty or in the other language as junk", async () => {
    const plan = (task: string) => () => ({
      steps: [{ id: 1, agent: "code", task, depends_on: [], needs_approval: false }],
    });
    const copied = await route(
      new ScriptedLlm({
        handlers: { plan: plan("Write a Python function that checks whether a number is prime") },
      }),
      "Tell me about Seoul",
    );
    expect(copied.model).toBeUndefined();
    const english = await route(
      new ScriptedLlm({ handlers: { plan: plan("Reverse a string in Python") } }),
      "문자열을 뒤집는 파이썬 코드를 작성해 줘",
      "ko",
    );
    expect(english.model).toBeUndefined();
    expect(english.steps).toMatchObject([{ agent: "code", task: "문자열을 뒤집는 파이썬 코드를 작성해 줘" }]);
  });
});

describe("the history filter", () => {
  const turns = [
    { run_id: "r", request: "Draft an NDA", answer: "1. Parties ...", format: "chat" as const, at: "" },
  ];

  it.each([
    "Make it shorter",
    "Add a termination clause to that contract",
    "Translate the previous answer into Korean",
    "Tell me more",
    "Write Python code that prints that city's name",
    "위 내용을 요약해 줘",
    "그것을 영어로 번역해 줘",
    "이전 답변을 더 자세히 설명해 줘",
    "그 도시의 인구는?",
  ])("sees a reference back in %j", (request) => {
    expect(refersBack(request)).toBe(true);
    expect(relevantHistory(turns, request)).toHaveLength(1);
  });

  it.each([
    "What is the capital of Italy?",
    "Write Python code that reverses a string",
    "Find a library that parses CSV files",
    "Draft an NDA between Acme Corp and Beta LLC",
    "이탈리아의 수도는 어디인가요?",
    "문자열을 뒤집는 파이썬 코드를 작성해 줘",
    "임대차 계약서를 작성해 줘",
  ])("sees none in %j, so no earlier turn reaches the prompt", (request) => {
    expect(refersBack(request)).toBe(false);
    expect(relevantHistory(turns, request)).toEqual([]);
  });
});
