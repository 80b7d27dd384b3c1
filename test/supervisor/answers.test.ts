import { describe, expect, it } from "vitest";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import type { AgentContext } from "../../src/supervisor/agents/types.js";
import { degenerateReason } from "../../src/supervisor/answers/degenerate.js";
import { distinctInsights } from "../../src/supervisor/answers/insights.js";
import { aggregatorNode } from "../../src/supervisor/nodes/aggregator.js";
import { AgentRegistry } from "../../src/supervisor/registry.js";
import type { StepResult } from "../../src/supervisor/types.js";
import { promptAgents } from "../support/prompt-agents.js";
import { agentContext } from "./agents/context.js";
import { testState as state, testSupervisorDeps } from "./deps.js";

const en = { locale: "en" as const, prompts: ["Draft an NDA between Acme Corp and Beta LLC"] };
const ko = { locale: "ko" as const, prompts: ["비밀유지계약서를 작성해 줘"] };

describe("the degenerate-output detector", () => {
  it.each([
    ["", "empty"],
    ["  ]}, { ", "empty"],
    ["10", "number"],
    ["0.9", "number"],
    ["Acme", "one_token"],
    ["Draft an NDA between Acme Corp and Beta LLC.", "echo"],
    ["Request: Draft an NDA between Acme Corp and Beta LLC", "echo"],
    ["Acme Corp and Beta LLC", "echo"],
    ["A rainbow forms when sunlight is refracted and reflected inside raindrops.", "example"],
    ["10 10 10 10 10 10 10 10 10 10", "looping"],
    ["NDA\nNDA\nNDA\nNDA\nNDA", "looping"],
    ["비밀유지계약서 초안입니다. 1. 당사자 2. 목적 3. 기간", "wrong_language"],
  ])("flags %j as %s", (answer, reason) => {
    expect(degenerateReason(answer, en)).toBe(reason);
  });

  it("flags an English answer to a Korean request and a copy of another step's answer", () => {
    expect(degenerateReason("This is a mutual non-disclosure agreement draft.", ko)).toBe("wrong_language");
    const other = "1. Parties: Acme Corp and Beta LLC. 2. Purpose: a partnership.";
    expect(degenerateReason(`${other}`, { ...en, others: [other] })).toBe("repeat");
  });

  it("passes real answers, including Korean ones that name things in Latin letters and code", () => {
    expect(
      degenerateReason("1. Parties: Acme Corp and Beta LLC. 2. Confidential information: ...", en),
    ).toBeUndefined();
    expect(
      degenerateReason("Acme와 Beta 사이의 NDA 초안입니다. 1. 당사자 2. 비밀정보의 정의", ko),
    ).toBeUndefined();
    expect(
      degenerateReason("```python\nprint('hello')\n```\n파이썬으로 문자열을 출력하는 코드입니다.", ko),
    ).toBeUndefined();
  });
});

function ctx(llm: ScriptedLlm, partial: Partial<AgentContext> = {}): AgentContext {
  return agentContext(llm, { request: "Draft an NDA between Acme Corp and Beta LLC", ...partial });
}

// The agent as one model call: what is tested is the retry and fallback every such answer gets.
const contract = new AgentRegistry(promptAgents()).resolve("contract");
const nda = { id: 1, task: "Draft an NDA between Acme Corp and Beta LLC", description: "" };

describe("an agent whose model answers junk", () => {
  it("asks once more with another prompt and keeps a usable second answer, marked", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        "agent:contract": () => ({ result: "10", confidence: 0.9 }),
        "agent:contract:retry": () => ({
          result: "1. Parties: Acme Corp and Beta LLC. 2. Term: two years.",
          confidence: 0.7,
        }),
      },
    });
    const output = await contract.run(nda, ctx(llm));
    expect(output).toEqual({
      result: "1. Parties: Acme Corp and Beta LLC. 2. Term: two years.",
      confidence: 0.7,
      degenerate: "number",
    });
    expect(llm.calls.map((c) => c.purpose)).toEqual(["agent:contract", "agent:contract:retry"]);
    expect(llm.calls[1]?.messages[0]?.content).not.toBe(llm.calls[0]?.messages[0]?.content);
  });

  it("falls back to what the step had, under an honest note, and never shows the junk", async () => {
    const llm = new ScriptedLlm({ handlers: { agent: () => ({ result: "10", confidence: 0.9 }) } });
    const output = await contract.run(
      nda,
      ctx(llm, { locale: "ko", attachments: [{ name: "draft.txt", text: "제1조 (목적) 이 계약은 ..." }] }),
    );
    expect(output).toMatchObject({ confidence: 0, degenerate: "number", fallback: true });
    expect(output.result).toContain("모델이 이 단계에 쓸 만한 답을 만들지 못했습니다.");
    expect(output.result).toContain("제1조 (목적)");
    expect(output.result).not.toMatch(/^10$|\b10\b/);
    const bare = await contract.run(
      nda,
      ctx(new ScriptedLlm({ handlers: { agent: () => ({ result: " ]}, { ", confidence: 1 }) } })),
    );
    expect(bare.result).toBe("The model could not produce a usable answer for this step.");
  });
});

function result(id: number, partial: Partial<StepResult> = {}): StepResult {
  return {
    step_id: id,
    agent: "search",
    task: `task ${id}`,
    description: "",
    depends_on: [],
    status: "completed",
    result: `Finding number ${id}: the market grew by ${id * 7} percent last year.`,
    confidence: 0.9,
    duration_ms: 1,
    attempts: 1,
    round: 0,
    ...partial,
  };
}

describe("the aggregator with degenerate answers", () => {
  const deps = (llm: ScriptedLlm) => testSupervisorDeps(llm);
  const turn = {
    run_id: "r",
    request: "How did the market do?",
    format: "chat" as const,
    locale: "en" as const,
    requester: "alice",
    started_at: new Date().toISOString(),
    attachments: [],
  };

  it("lowers confidence for retried, repeated and fallen-back answers and de-duplicates insights", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        aggregate: () => ({
          final_answer: "The market grew last year, by 7 to 14 percent depending on the measure.",
          insights: [
            { category: "observation", description: "Growth was strong.", importance: 0.9 },
            { category: "observation", description: "growth was strong", importance: 0.8 },
            { category: "observation", description: "Growth was strong. ", importance: 0.7 },
            { category: "risk", description: "10", importance: 0.6 },
            { category: "next_step", description: "Check the 2024 figures.", importance: 0.5 },
          ],
        }),
      },
    });
    const update = await aggregatorNode(deps(llm))(
      state({
        turn,
        step_results: {
          1: result(1),
          2: result(2, { degenerate: "number" }),
          3: result(3, { result: result(1).result }),
          4: result(4, {
            fallback: true,
            degenerate: "echo",
            result: "The model could not produce a usable answer for this step.",
          }),
        },
      }),
    );
    expect(update.aggregated_data?.steps.map((s) => s.confidence)).toEqual([0.9, 0.54, 0.45, 0]);
    expect(update.step_results?.[3]).toMatchObject({ degenerate: "repeat" });
    expect(update.aggregated_data?.insights.map((i) => i.description)).toEqual([
      "Growth was strong.",
      "Check the 2024 figures.",
    ]);
    const synthesis = llm.calls.find((c) => c.purpose === "aggregate");
    expect(synthesis?.messages[1]?.content).toContain("Step 4 (search, completed): (no usable answer)");
  });

  it("never answers `10`: retries the synthesis, then answers with the real step results", async () => {
    const llm = new ScriptedLlm({ handlers: { aggregate: () => ({ final_answer: "10", insights: [] }) } });
    const update = await aggregatorNode(deps(llm))(state({ turn, step_results: { 1: result(1) } }));
    expect(llm.calls.map((c) => c.purpose)).toEqual(["aggregate", "aggregate:retry"]);
    expect(update.aggregated_data?.final_answer).toContain("Finding number 1");
    expect(update.aggregated_data?.final_answer).not.toBe("10");
  });

  it("does not ask the model to combine answers that all fell back", async () => {
    const llm = new ScriptedLlm();
    const update = await aggregatorNode(deps(llm))(
      state({
        turn,
        step_results: {
          1: result(1, {
            fallback: true,
            result: "The model could not produce a usable answer for this step.",
          }),
        },
      }),
    );
    expect(llm.calls).toHaveLength(0);
    expect(update.aggregated_data?.final_answer).toContain("could not produce a usable answer");
  });
});

describe("insights", () => {
  it("drops junk and restatements of the answer", () => {
    const out = distinctInsights(
      [
        { category: "x", description: "", importance: 1 },
        { category: "x", description: "The answer.", importance: 0.9 },
        { category: "x", description: "How did the market do?", importance: 0.8 },
        { category: "x", description: "Review", importance: 0.1 },
      ],
      { locale: "en", prompts: ["How did the market do?"], answer: "The answer." },
    );
    expect(out.map((i) => i.description)).toEqual(["Review"]);
  });
});
