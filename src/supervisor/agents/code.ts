import { framedCode } from "../answers/framing.js";
import { llmAgent } from "./llm-agent.js";
import type { AgentDefinition } from "./types.js";

const codeModel = llmAgent({
  name: "code",
  description: {
    en: "code generation: writes, explains or fixes source code and scripts",
    ko: "코드 생성: 소스 코드와 스크립트를 작성, 설명 또는 수정",
  },
  routing: {
    keywords: {
      en: [
        "code",
        "script",
        "function",
        "program",
        "python",
        "javascript",
        "typescript",
        "java",
        "rust",
        "golang",
        "sql query",
        "regex",
        "regular expression",
        "implement",
        "bug",
        "debug",
        "compile",
        "algorithm",
        "binary search",
        "search algorithm",
        "class",
        "unit test",
        "refactor",
        "bash",
        "shell command",
      ],
      ko: [
        "코드",
        "스크립트",
        "함수",
        "프로그램",
        "파이썬",
        "python",
        "자바스크립트",
        "타입스크립트",
        "구현",
        "버그",
        "디버그",
        "알고리즘",
        "이진 탐색",
        "정규식",
        "정규 표현식",
        "쿼리",
        "클래스",
        "리팩터",
        "셸",
      ],
    },
    examples: {
      en: [
        {
          request: "Write a Python function that checks if a number is prime",
          steps: [{ task: "Write a Python function that checks whether a number is prime" }],
        },
        {
          request: "Fix the bug in this JavaScript loop",
          steps: [{ task: "Find and fix the bug in the JavaScript loop" }],
        },
      ],
      ko: [
        {
          request: "숫자가 소수인지 확인하는 파이썬 함수를 작성해 줘",
          steps: [{ task: "숫자가 소수인지 확인하는 파이썬 함수 작성" }],
        },
        {
          request: "이 자바스크립트 반복문의 버그를 고쳐 줘",
          steps: [{ task: "자바스크립트 반복문의 버그 수정" }],
        },
      ],
    },
  },
  approval: "always",
  role: [
    "You are the Code agent of a multi-agent assistant.",
    "Write complete, runnable code for the task in fenced code blocks with the language named, followed by a short explanation of how to run it and its limits.",
    "Prefer the standard library; never include secrets or destructive commands.",
  ].join(" "),
});

/** The code agent's answers, with a line in the turn's language when the model gave only code. */
export const codeAgent: AgentDefinition = {
  ...codeModel,
  run: async (step, ctx) => framedCode(await codeModel.run(step, ctx), ctx.locale),
};
