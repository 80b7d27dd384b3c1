import { llmAgent } from "./llm-agent.js";

export const codeAgent = llmAgent({
  name: "code",
  description: {
    en: "code generation: writes, explains or fixes source code and scripts",
    ko: "코드 생성: 소스 코드와 스크립트를 작성, 설명 또는 수정",
  },
  approval: "always",
  role: [
    "You are the Code agent of a multi-agent assistant.",
    "Write complete, runnable code for the task in fenced code blocks with the language named, followed by a short explanation of how to run it and its limits.",
    "Prefer the standard library; never include secrets or destructive commands.",
  ].join(" "),
});
