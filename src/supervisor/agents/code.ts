import { type MessageKey, t } from "../../i18n/index.js";
import type { LlmMessage } from "../../llm/types.js";
import type { CodeSandbox, SandboxRun } from "../../tools/sandbox/index.js";
import { clip, type Locale, OctoError } from "../../vocabulary/index.js";
import { javascriptIn, proseAround } from "../answers/code-blocks.js";
import { framedCode } from "../answers/framing.js";
import { AgentAnswerSchema, LANGUAGE_RULE, llmAgent } from "./llm-agent.js";
import type { AgentContext, AgentDefinition, AgentStep } from "./types.js";

const ROLE = [
  "You are the Code agent of a multi-agent assistant. Your code is run for real, in a JavaScript sandbox.",
  "Write plain JavaScript (ES2023) that does the task and prints its results with console.log, in one ```javascript block, then one short line saying what it prints.",
  "The sandbox has no require, import, files, network, timers or process; attached files are in the global `input.files` as {name, text}.",
].join(" ");

/** The model's half of the agent: one structured answer with the code, checked like every answer. */
const codeWriter = llmAgent({
  name: "code",
  description: {
    en: "code: writes JavaScript for the task and runs it in a sandbox (calculations, text and data processing); also writes, explains or fixes code",
    ko: "코드: 작업을 위한 JavaScript를 작성해 샌드박스에서 실행 (계산, 텍스트와 데이터 처리); 코드 작성, 설명, 수정도 함",
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
  role: ROLE,
});

/** What the code is given as `input`: the attached files, when there are any. */
function sandboxInput(ctx: AgentContext): unknown {
  if (ctx.attachments.length === 0) return undefined;
  return { files: ctx.attachments.map((file) => ({ name: file.name, text: file.text })) };
}

function fence(text: string, language = ""): string {
  // A fence longer than any backtick run inside keeps the block closed where it should be.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const marks = "`".repeat(longest + 1);
  return `${marks}${language}\n${text}\n${marks}`;
}

function failure(run: SandboxRun, sandbox: CodeSandbox, locale: Locale): string {
  const error = run.error;
  const kind = error?.kind ?? "exception";
  return t(locale, `code.failed.${kind}` as MessageKey, {
    error: clip(error?.message ?? "", 400),
    ms: sandbox.limits.timeoutMs,
    mb: Math.round(sandbox.limits.memoryBytes / 1_048_576),
    limit: formatLimit(sandbox.limits.outputBytes),
  });
}

function formatLimit(bytes: number): string {
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} B`;
}

/** The step's report: what the model said, the code, what it printed and returned. */
function report(
  code: string,
  run: SandboxRun,
  sandbox: CodeSandbox,
  locale: Locale,
  notes: { prose: string; fixed?: string },
): string {
  const parts: string[] = [];
  if (notes.prose) parts.push(clip(notes.prose, 1_500));
  if (notes.fixed) parts.push(`_${notes.fixed}_`);
  parts.push(t(locale, "code.ran", { ms: Math.round(run.durationMs) }), fence(code, "javascript"));
  if (run.output) {
    parts.push(t(locale, "code.output"), fence(clip(run.output, OUTPUT_SHOWN)));
    if (run.outputTruncated || run.output.length > OUTPUT_SHOWN)
      parts.push(t(locale, "code.truncated", { limit: formatLimit(sandbox.limits.outputBytes) }));
  } else if (run.value === undefined) {
    parts.push(t(locale, "code.no_output"));
  }
  if (run.value !== undefined) parts.push(`${t(locale, "code.value")} ${fence(clip(run.value, 2_000))}`);
  return parts.join("\n\n");
}

/** Output shown in the step's result; the run keeps up to the sandbox's cap. */
const OUTPUT_SHOWN = 6_000;

async function fixed(
  step: AgentStep,
  ctx: AgentContext,
  code: string,
  error: string,
): Promise<string | undefined> {
  const messages: LlmMessage[] = [
    { role: "system", content: `${ROLE}\n${LANGUAGE_RULE[ctx.locale]}` },
    {
      role: "user",
      content: [
        `Task: ${step.task}`,
        "This JavaScript failed in the sandbox:",
        fence(code, "javascript"),
        `Error: ${error}`,
        "Write the corrected JavaScript in one ```javascript block.",
      ].join("\n"),
    },
  ];
  const answer = await ctx.llm.structured(messages, AgentAnswerSchema, {
    purpose: "agent:code:fix",
    schemaName: "agent_answer",
    signal: ctx.signal,
    onUsage: ctx.onUsage,
    locale: ctx.locale,
    context: { task: step.task, locale: ctx.locale, code, error },
  });
  return javascriptIn(answer.result);
}

/**
 * The code agent: the model writes JavaScript for the task, and (the step was approved before it
 * started) the sandbox runs it. The result is the code, what it printed and returned; an ordinary
 * error gets one corrected version from the model; code the sandbox stopped (a deadline, the memory
 * cap, a `require` that does not exist) fails the step with the sandbox's reason. Safety is the
 * sandbox's, not the prompt's: whatever the model writes can reach nothing outside it.
 */
export const codeAgent: AgentDefinition = {
  name: codeWriter.name,
  description: codeWriter.description,
  ...(codeWriter.routing ? { routing: codeWriter.routing } : {}),
  approval: codeWriter.approval,
  async run(step, ctx) {
    const written = await codeWriter.run(step, ctx);
    if (written.fallback) return written;
    const code = javascriptIn(written.result);
    const sandbox = ctx.tools.sandbox;
    if (!code || !sandbox) {
      // Without JavaScript or a sandbox the step cannot do what it is for: say so beside the answer.
      const note = t(ctx.locale, code ? "code.not_run" : "code.no_javascript");
      const framed = framedCode(written, ctx.locale);
      return {
        result: `${framed.result}\n\n_${note}_`,
        confidence: Math.min(written.confidence, 0.3),
        ...(written.degenerate ? { degenerate: written.degenerate } : {}),
        fallback: true,
      };
    }
    const input = sandboxInput(ctx);
    const prose = proseAround(written.result);
    let run = await sandbox.run(code, { input, signal: ctx.signal });
    if (run.ok)
      return {
        result: report(code, run, sandbox, ctx.locale, { prose }),
        confidence: ranConfidence(written.confidence),
      };
    if (run.error?.kind !== "exception") throw stopped(run, sandbox, ctx.locale);

    // An ordinary error (a typo, a wrong method) is worth one corrected version; a refusal by the
    // sandbox (a loop, the memory cap) is not, and neither is a second failure.
    const firstError = run.error.message;
    const second = await fixed(step, ctx, code, firstError);
    if (!second || second.trim() === code.trim()) throw stopped(run, sandbox, ctx.locale);
    run = await sandbox.run(second, { input, signal: ctx.signal });
    if (!run.ok) throw stopped(run, sandbox, ctx.locale);
    const note = t(ctx.locale, "code.fixed", { error: clip(firstError, 200) });
    return {
      result: report(second, run, sandbox, ctx.locale, { prose, fixed: note }),
      confidence: Math.round(ranConfidence(written.confidence) * 80) / 100,
    };
  },
};

/** Code that ran cleanly earns some trust whatever the model claimed; it is still the model's code. */
function ranConfidence(claimed: number): number {
  return Math.min(0.9, Math.max(0.5, claimed));
}

function stopped(run: SandboxRun, sandbox: CodeSandbox, locale: Locale): OctoError {
  return new OctoError("tool_failed", failure(run, sandbox, locale), { retryable: false });
}
