import { afterAll, describe, expect, it } from "vitest";
import { type ScriptedHandler, ScriptedLlm } from "../../../src/llm/scripted.js";
import { codeAgent } from "../../../src/supervisor/agents/code.js";
import type { AgentContext, AgentTools } from "../../../src/supervisor/agents/types.js";
import { javascriptIn } from "../../../src/supervisor/answers/code-blocks.js";
import { QuickJsSandbox } from "../../../src/tools/sandbox/index.js";
import { isOctoError } from "../../../src/vocabulary/index.js";
import { ofType, planOf, resultOf, send, serviceFixture } from "../../conversations/support.js";
import { collectEvents } from "../../support/events.js";

/** The code agent with the scripted model and the real sandbox: what the model writes is really run. */

const sandbox = new QuickJsSandbox({ timeoutMs: 300, memoryBytes: 16 * 1024 * 1024, outputBytes: 4_000 });
afterAll(() => sandbox.close());

const js = (code: string, prose = "It prints the answer.") => `\`\`\`javascript\n${code}\n\`\`\`\n${prose}`;

function setup(
  handlers: Record<string, ScriptedHandler>,
  options: { tools?: AgentTools; locale?: "ko" | "en"; attachments?: AgentContext["attachments"] } = {},
) {
  const llm = new ScriptedLlm({ handlers });
  const ctx: AgentContext = {
    llm,
    locale: options.locale ?? "en",
    signal: new AbortController().signal,
    request: "compute it",
    dependencies: [],
    history: [],
    attachments: options.attachments ?? [],
    tools: options.tools ?? { sandbox },
    onUsage: () => {},
  };
  return {
    llm,
    ctx,
    run: (task = "Sum the squares of 1 to 10") => codeAgent.run({ id: 1, task, description: "" }, ctx),
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the step to fail");
}

describe("the code agent", () => {
  it("always asks for approval before it runs anything", () => {
    expect(codeAgent.approval).toBe("always");
  });

  it("runs the model's JavaScript and reports the code, its output and value", async () => {
    const code =
      "const total = [...Array(10)].map((_, i) => (i + 1) ** 2).reduce((a, b) => a + b);\nconsole.log('total', total);\ntotal";
    const { run, llm } = setup({
      "agent:code": () => ({ result: js(code, "It prints the sum."), confidence: 0.7 }),
    });
    const output = await run();
    expect(output.fallback).toBeUndefined();
    expect(output.confidence).toBe(0.7);
    expect(output.result).toContain("It prints the sum.");
    expect(output.result).toContain(`\`\`\`javascript\n${code}\n\`\`\``);
    expect(output.result).toMatch(/\*\*Output\*\*:\n\n```+\ntotal 385\n```+/);
    expect(output.result).toMatch(/\*\*Value\*\*: ```+\n385\n```+/);
    expect(llm.calls.map((call) => call.purpose)).toEqual(["agent:code"]);
  });

  it("reports in Korean for a Korean turn", async () => {
    const { run } = setup(
      {
        "agent:code": () => ({
          result: js("console.log(1 + 1)", "1 더하기 1을 출력합니다."),
          confidence: 0.8,
        }),
      },
      { locale: "ko" },
    );
    const output = await run("1 더하기 1 계산");
    expect(output.result).toContain("**코드** (JavaScript, 샌드박스에서");
    expect(output.result).toContain("**출력**:");
  });

  it("gives attached files to the code as input.files", async () => {
    const { run } = setup(
      {
        "agent:code": () => ({
          result: js("console.log(input.files[0].name, input.files[0].text.split('\\n').length)"),
          confidence: 0.8,
        }),
      },
      { attachments: [{ name: "notes.txt", text: "a\nb\nc" }] },
    );
    expect((await run("count the lines")).result).toContain("notes.txt 3");
  });

  it("fails a dangerous request in the sandbox, after one corrected try, with the sandbox's reason", async () => {
    const steal = "const fs = require('fs');\nconsole.log(fs.readFileSync('/etc/passwd', 'utf8'))";
    const { run, llm } = setup({
      "agent:code": () => ({ result: js(steal), confidence: 0.9 }),
      "agent:code:fix": () => ({ result: js("process.binding('fs')"), confidence: 0.5 }),
    });
    const error = await failure(run("Print /etc/passwd"));
    expect(isOctoError(error, "tool_failed")).toBe(true);
    expect(error.message).toBe("The code failed in the sandbox: ReferenceError: 'process' is not defined");
    const fix = llm.calls.find((call) => call.purpose === "agent:code:fix");
    expect(fix?.context.error).toBe("ReferenceError: 'require' is not defined");
  });

  it("stops an endless loop at its deadline without asking the model again", async () => {
    const { run, llm } = setup({ "agent:code": () => ({ result: js("while (true) {}"), confidence: 0.9 }) });
    const error = await failure(run());
    expect(isOctoError(error, "tool_failed")).toBe(true);
    expect((error as { retryable?: boolean }).retryable).toBe(false);
    expect(error.message).toBe(
      "The code was stopped at its 300 ms deadline (an endless loop, or too much work).",
    );
    expect(llm.calls.map((call) => call.purpose)).toEqual(["agent:code"]);
  });

  it("stops a memory bomb at the cap", async () => {
    const { run } = setup(
      {
        "agent:code": () => ({
          result: js("const a = []; for (;;) a.push(new Uint8Array(1e6));", "메모리를 계속 할당합니다."),
          confidence: 0.9,
        }),
      },
      { locale: "ko" },
    );
    const error = await failure(run("메모리 테스트"));
    expect(error.message).toBe("코드가 메모리 한도(16MB)를 넘어 중단되었습니다.");
  });

  it("runs the model's corrected code when the first version had an ordinary bug", async () => {
    const { run } = setup({
      "agent:code": () => ({ result: js("console.log([1, 2, 3].summ())"), confidence: 0.8 }),
      "agent:code:fix": () => ({
        result: js("console.log([1, 2, 3].reduce((a, b) => a + b))"),
        confidence: 0.8,
      }),
    });
    const output = await run("add 1, 2 and 3");
    expect(output.result).toContain("The first version failed (TypeError: not a function)");
    expect(output.result).toContain("\n6\n");
    expect(output.confidence).toBe(0.64);
  });

  it("says honestly that nothing ran when there is no sandbox", async () => {
    const { run } = setup(
      { "agent:code": () => ({ result: js("console.log(2)", "Prints two."), confidence: 0.9 }) },
      { tools: {} },
    );
    const output = await run();
    expect(output).toMatchObject({ fallback: true, confidence: 0.3 });
    expect(output.result).toContain("This code was not run: no sandbox is available here.");
  });

  it("runs nothing when the answer holds no JavaScript (Python is not passed off as it)", async () => {
    const { run } = setup({
      "agent:code": () => ({
        result: "```python\nprint(sum(i*i for i in range(11)))\n```\nPrints 385.",
        confidence: 0.9,
      }),
    });
    const output = await run("Write Python that sums squares");
    expect(output).toMatchObject({ fallback: true, confidence: 0.3 });
    expect(output.result).toContain("The answer has no JavaScript to run, so nothing was run.");
  });
});

describe("javascriptIn", () => {
  it("takes the JavaScript block of an answer, fenced however the model fenced it", () => {
    expect(javascriptIn("Here:\n```js\nconsole.log(1)\n```\nDone.")).toBe("console.log(1)");
    expect(javascriptIn("```python\nprint(1)\n```\n```javascript\nconsole.log(2)\n```")).toBe(
      "console.log(2)",
    );
    expect(javascriptIn("~~~\nlet x = 1;\n~~~")).toBe("let x = 1;");
    // A model that ran out of tokens leaves the fence open.
    expect(javascriptIn("```javascript\nconst a = 1;\nconsole.log(a)")).toBe("const a = 1;\nconsole.log(a)");
    expect(javascriptIn("```\r\nconsole.log('crlf');\r\n```")).toBe("console.log('crlf');");
    expect(javascriptIn("const n = 5;\nconsole.log(n * 2);")).toBe("const n = 5;\nconsole.log(n * 2);");
    expect(javascriptIn("```ts\nconst n: number = 1\n```")).toBeUndefined();
    expect(javascriptIn("The answer is 42.")).toBeUndefined();
  });
});

describe("a code step in a conversation", () => {
  const fixture = serviceFixture("postgres");

  it("waits for approval, then runs in the sandbox; a loop fails only its own step", async () => {
    const { service, llm } = fixture.make({
      tools: { sandbox },
      scripted: {
        handlers: {
          plan: planOf(
            { id: 1, agent: "code", task: "Sum the squares of 1 to 10" },
            { id: 2, agent: "code", task: "Loop forever" },
          ),
          "agent:code": ({ context }) =>
            String(context.task).startsWith("Loop")
              ? { result: js("for (;;) {}"), confidence: 0.9 }
              : {
                  result: js("console.log([1,2,3,4,5,6,7,8,9,10].reduce((a, n) => a + n * n, 0))"),
                  confidence: 0.8,
                },
        },
      },
    });
    const asked = await send(service, "run some code");
    const approvals = ofType(asked, "approval_requested").map((event) => event.approval);
    expect(approvals.map((approval) => approval.agent)).toEqual(["code", "code"]);
    // Nothing was written or run before the decisions.
    expect((llm as ScriptedLlm).calls.some((call) => call.purpose.startsWith("agent:code"))).toBe(false);
    await collectEvents(service.decide(approvals[0]!.approval_id, { decision: "approve", by: "alice" }));
    const done = await collectEvents(
      service.decide(approvals[1]!.approval_id, { decision: "approve", by: "alice" }),
    );
    const result = resultOf(done);
    const [sum, loop] = result.step_results;
    expect(sum).toMatchObject({ status: "completed", approval: { decision: "approve" } });
    expect(sum?.result).toContain("\n385\n");
    expect(loop).toMatchObject({ status: "failed", attempts: 1 });
    expect(loop?.error).toBe(
      "The code was stopped at its 300 ms deadline (an endless loop, or too much work).",
    );
  });
});
