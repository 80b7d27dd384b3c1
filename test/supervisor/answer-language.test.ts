import { describe, expect, it } from "vitest";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { DEFAULT_AGENTS } from "../../src/supervisor/agents/index.js";
import type { AgentContext } from "../../src/supervisor/agents/types.js";
import { codeOnly, degenerateReason, languageProse } from "../../src/supervisor/answers/degenerate.js";
import { AgentRegistry } from "../../src/supervisor/registry.js";

const KO_REQUEST = "문자열을 뒤집는 파이썬 코드를 작성해 줘";
const EN_REQUEST = "Write Python code that reverses a string";
const ko = { locale: "ko" as const, prompts: [KO_REQUEST] };
const en = { locale: "en" as const, prompts: [EN_REQUEST] };
const CODE = "```python\ndef reverse(text):\n    return text[::-1]\n```";

describe("the language of an answer is the language of its prose", () => {
  it.each([
    // issue 12, ko-multi-3: code with a few English words and no Korean passed as Korean.
    [`${CODE}\nHere is the code.`, "code and a short English sentence"],
    [`${CODE}\nRun it.`, "code and two English words"],
    ["Rome, Italy.", "a short English answer"],
    [
      "Source: https://example.com/rates 2024-05-01, 1 USD = 1,380 KRW",
      "English words among a URL and numbers",
    ],
  ])("a Korean turn's %j is wrong-language (%s)", (answer) => {
    expect(degenerateReason(answer, ko)).toBe("wrong_language");
  });

  it.each([
    [`${CODE}\n문자열을 거꾸로 뒤집는 함수입니다.`, "code and Korean prose"],
    [
      `${CODE}\n\`reverse("abc")\`를 실행하면 결과가 나옵니다. main.py로 저장하고 https://docs.python.org 를 참고하세요.`,
      "Korean prose around inline code, a file name and a URL",
    ],
    [
      "Acme Corp와 Beta LLC 사이의 NDA 초안입니다. 1. 당사자 2. 비밀정보",
      "Korean naming things in Latin letters",
    ],
    [CODE, "code and nothing else"],
  ])("a Korean turn's %j is Korean enough (%s)", (answer) => {
    expect(degenerateReason(answer, ko)).toBeUndefined();
  });

  it("an English turn's Korean prose is wrong-language however short, names in Hangul are not", () => {
    expect(degenerateReason("네, 맞습니다.", en)).toBe("wrong_language");
    expect(degenerateReason(`${CODE}\n문자열을 뒤집습니다.`, en)).toBe("wrong_language");
    expect(degenerateReason("Seoul (서울) is the capital of South Korea.", en)).toBeUndefined();
    expect(degenerateReason(`${CODE}\nThis returns the string reversed.`, en)).toBeUndefined();
  });

  it("leaves out code, inline code, URLs, file names and numbers, and knows a code-only answer", () => {
    const prose = languageProse(`${CODE}\nSee \`x\` at https://a.example/b, main.py, 3.14 and 1,000.`);
    expect(prose.replace(/[\s\p{P}]+/gu, " ").trim()).toBe("See at and");
    expect(codeOnly(CODE)).toBe(true);
    expect(codeOnly(`  ${CODE}\n\n`)).toBe(true);
    expect(codeOnly(`${CODE}\nHere is the code.`)).toBe(false);
    expect(codeOnly("def reverse(text): return text[::-1]")).toBe(false);
  });
});

function ctx(llm: ScriptedLlm, locale: "ko" | "en"): AgentContext {
  return {
    llm,
    locale,
    signal: new AbortController().signal,
    request: locale === "ko" ? KO_REQUEST : EN_REQUEST,
    dependencies: [],
    history: [],
    attachments: [],
    tools: {},
    onUsage: () => {},
  };
}

const code = new AgentRegistry(DEFAULT_AGENTS).resolve("code");
const step = (locale: "ko" | "en") => ({
  id: 1,
  task: locale === "ko" ? KO_REQUEST : EN_REQUEST,
  description: "",
});

describe("the code agent in a Korean turn", () => {
  it("asks again when the model answers code with English prose, and keeps a Korean second answer", async () => {
    const korean = `${CODE}\n슬라이싱으로 문자열을 뒤집는 함수입니다.`;
    const llm = new ScriptedLlm({
      handlers: {
        "agent:code": () => ({ result: `${CODE}\nHere is the code.`, confidence: 0.8 }),
        "agent:code:retry": () => ({ result: korean, confidence: 0.6 }),
      },
    });
    const output = await code.run(step("ko"), ctx(llm, "ko"));
    // Python is written, not run (the sandbox runs JavaScript), and the step says so in Korean.
    expect(output).toMatchObject({ confidence: 0.3, degenerate: "wrong_language", fallback: true });
    expect(output.result).toBe(`${korean}\n\n_답에 실행할 JavaScript가 없어 아무것도 실행하지 않았습니다._`);
    expect(llm.calls.map((c) => c.purpose)).toEqual(["agent:code", "agent:code:retry"]);
  });

  it("falls back with the honest note when both answers are English, never showing them", async () => {
    const llm = new ScriptedLlm({
      handlers: { agent: () => ({ result: `${CODE}\nHere is the code.`, confidence: 0.8 }) },
    });
    const output = await code.run(step("ko"), ctx(llm, "ko"));
    expect(output).toMatchObject({ confidence: 0, degenerate: "wrong_language", fallback: true });
    expect(output.result).toBe("모델이 이 단계에 쓸 만한 답을 만들지 못했습니다.");
  });

  it("frames a code-only answer in the turn's language, saying the model gave no explanation", async () => {
    const llm = new ScriptedLlm({ handlers: { agent: () => ({ result: CODE, confidence: 0.7 }) } });
    const output = await code.run(step("ko"), ctx(llm, "ko"));
    expect(output.degenerate).toBeUndefined();
    expect(llm.calls).toHaveLength(1);
    expect(
      output.result.startsWith(
        `요청하신 코드입니다. 모델이 설명 없이 코드만 답했으니 실행하기 전에 확인하세요.\n\n${CODE}\n\n`,
      ),
    ).toBe(true);
    expect(degenerateReason(output.result, ko)).toBeUndefined();
    const english = await code.run(step("en"), ctx(llm, "en"));
    expect(english.result.split("\n")[0]).toMatch(/^Here is the code\. The model gave no explanation/);
    expect(english.result).toContain(CODE);
  });

  it("leaves an answer with its own prose as the model wrote it", async () => {
    const korean = `${CODE}\n문자열을 뒤집는 함수입니다.`;
    const llm = new ScriptedLlm({ handlers: { agent: () => ({ result: korean, confidence: 0.7 }) } });
    expect((await code.run(step("ko"), ctx(llm, "ko"))).result.startsWith(`${korean}\n\n`)).toBe(true);
  });
});
