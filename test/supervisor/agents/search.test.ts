import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScriptedCall, ScriptedLlm } from "../../../src/llm/scripted.js";
import { searchAgent } from "../../../src/supervisor/agents/search.js";
import { KnowledgeBase } from "../../../src/tools/kb/index.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../support/databases.js";
import { agentContext, asLocalModel } from "./context.js";

const step = (task: string) => ({ id: 1, task, description: "" });

/** A model that answers from the passages it was shown, and records them. */
function passageReader(answer: (passages: string) => string) {
  return new ScriptedLlm({
    handlers: {
      "agent:search": ({ messages }: ScriptedCall) => ({
        result: answer(messages[1]?.content ?? ""),
        confidence: 0.9,
      }),
    },
  });
}

const searchCalls = (llm: ScriptedLlm) => llm.calls.filter((call) => call.purpose.startsWith("agent:search"));

describe.each(DATABASE_KINDS)("the search agent on %s", (kind) => {
  let store: TestStore;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    store = await openTestStore(kind);
    kb = new KnowledgeBase(store.knowledge);
    await kb.seedIfEmpty();
  });
  afterAll(() => store.destroy());

  it("answers a Korean question from the sample pages only and cites file, section and snippet", async () => {
    const llm = passageReader((text) =>
      text.includes("15일의 유급 연차 휴가")
        ? "입사 1년 후부터 매년 15일의 연차 휴가를 받습니다 [1]."
        : "모르겠습니다",
    );
    const task = "연차 휴가는 며칠인가요?";
    const output = await searchAgent.run(
      step(task),
      agentContext(llm, { locale: "ko", request: task, tools: { kb } }),
    );
    expect(output.fallback).toBeUndefined();
    expect(output.result).toContain("입사 1년 후부터 매년 15일의 연차 휴가를 받습니다 [1].");
    expect(output.result).toContain("출처:");
    expect(output.result).toContain("- [1] kb/sample/vacation-policy.ko.md § 연차 휴가:");
    expect(output.sources?.[0]).toEqual({
      title: "kb/sample/vacation-policy.ko.md § 연차 휴가",
      snippet: expect.stringContaining("매년 15일의 유급 연차 휴가를 받습니다"),
    });
    expect(output.confidence).toBeGreaterThan(0.3);
    // The model saw the passages, numbered, and was told to use nothing else.
    const [call] = searchCalls(llm);
    expect(call?.messages[0]?.content).toContain("using only those passages");
    expect(call?.messages[1]?.content).toContain("[1] kb/sample/vacation-policy.ko.md § 연차 휴가");
  });

  it("answers an English question the same way", async () => {
    const llm = passageReader((text) =>
      text.includes("Up to 5 unused days")
        ? "Up to 5 unused days carry over and must be used by the end of March [1]."
        : "none",
    );
    const task = "Can I carry over unused vacation days?";
    const output = await searchAgent.run(step(task), agentContext(llm, { request: task, tools: { kb } }));
    expect(output.result).toMatch(/^Up to 5 unused days carry over/);
    expect(output.result).toContain("Sources:\n- [1] kb/sample/vacation-policy.md § Carry-over:");
    expect(output.sources?.[0]?.title).toBe("kb/sample/vacation-policy.md § Carry-over");
  });

  it("says honestly, in the user's language, that nothing was found, without asking the model", async () => {
    const llm = passageReader(() => "Paris is the capital of France.");
    const en = await searchAgent.run(
      step("What is the capital of France?"),
      agentContext(llm, { request: "What is the capital of France?", tools: { kb } }),
    );
    expect(en).toMatchObject({ fallback: true, confidence: 0.1 });
    expect(en.result).toContain('I found nothing about "capital", "france" in the knowledge base');
    expect(en.result).not.toContain("Paris");
    expect(en.sources).toBeUndefined();
    const ko = await searchAgent.run(
      step("북극광은 왜 생기나요?"),
      agentContext(llm, { locale: "ko", request: "북극광은 왜 생기나요?", tools: { kb } }),
    );
    expect(ko.result).toMatch(/^지식 베이스와 첨부 파일에서 "북극광".*에 관한 내용을 찾지 못해/);
    expect(searchCalls(llm)).toHaveLength(0);
  });

  it("searches the files attached to the conversation and cites them as attached", async () => {
    const llm = passageReader((text) =>
      text.includes("이지은") ? "1월 당직은 이지은입니다 [1]." : "모르겠습니다",
    );
    const task = "1월 당직은 누구야?";
    const output = await searchAgent.run(
      step(task),
      agentContext(llm, {
        locale: "ko",
        request: task,
        tools: { kb },
        attachments: [
          { name: "rota.md", text: "# 당직 순번\n\n12월 당직은 김민수, 1월 당직은 이지은입니다." },
        ],
      }),
    );
    expect(output.result).toContain("1월 당직은 이지은입니다 [1].");
    expect(output.sources?.[0]).toEqual({
      title: "rota.md § 당직 순번 (첨부)",
      snippet: "12월 당직은 김민수, 1월 당직은 이지은입니다.",
    });
  });

  it("with the embedded model, shows the retrieved passages under the answer", async () => {
    const llm = passageReader(() => "승인 요청은 하루가 지나면 만료됩니다 [1].");
    const task = "승인 요청의 만료 시간은?";
    const output = await searchAgent.run(
      step(task),
      agentContext(asLocalModel(llm), { locale: "ko", request: task, tools: { kb } }),
    );
    expect(output.result).toContain("승인 요청은 하루가 지나면 만료됩니다 [1].");
    expect(output.result).toContain("찾은 본문:");
    expect(output.result).toContain("> 승인 요청은 서버에 만료 시간과 함께 저장됩니다.");
  });

  it("shows the passages instead of an answer that stays degenerate or invents a number", async () => {
    const answers = ["10", "Employees get 40 days of leave [1]."];
    const llm = new ScriptedLlm({
      handlers: { agent: () => ({ result: answers.shift() ?? "", confidence: 0.9 }) },
    });
    const task = "How many annual leave days do employees get?";
    const output = await searchAgent.run(step(task), agentContext(llm, { request: task, tools: { kb } }));
    expect(searchCalls(llm).map((call) => call.purpose)).toEqual(["agent:search", "agent:search:retry"]);
    expect(output.fallback).toBe(true);
    expect(output.confidence).toBeGreaterThan(0);
    expect(output.confidence).toBeLessThanOrEqual(0.5);
    expect(output.result).toContain("The model gave no usable answer from the passages found");
    expect(output.result).toContain("Retrieved passages:");
    expect(output.result).toContain("15 days of paid annual leave");
    expect(output.result).not.toContain("40 days");
    expect(output.sources?.length).toBeGreaterThan(0);
  });
});

describe("the search agent without a knowledge base", () => {
  it("says the deployment has none and answers nothing from memory", async () => {
    const llm = new ScriptedLlm();
    const output = await searchAgent.run(
      step("vacation days"),
      agentContext(llm, { request: "vacation days" }),
    );
    expect(output).toMatchObject({ fallback: true, confidence: 0 });
    expect(output.result).toContain("This deployment has no knowledge base");
    expect(llm.calls).toHaveLength(0);
  });
});
