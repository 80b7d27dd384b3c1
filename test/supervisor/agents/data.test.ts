import { readFile } from "node:fs/promises";
import path from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { type ScriptedHandler, ScriptedLlm } from "../../../src/llm/scripted.js";
import { artifactFiles } from "../../../src/renderers/files/artifacts.js";
import { console as consoleRenderer, discord, slack } from "../../../src/renderers/index.js";
import { dataAgent } from "../../../src/supervisor/agents/data.js";
import type { AgentContext, AgentTools } from "../../../src/supervisor/agents/types.js";
import type { Artifact, StepResult } from "../../../src/supervisor/types.js";
import { DuckDbQuerier } from "../../../src/tools/sql/index.js";
import { isOctoError } from "../../../src/vocabulary/index.js";
import { planOf, resultOf, serviceFixture } from "../../conversations/support.js";
import { collectEvents } from "../../support/events.js";

/** The data agent with the scripted model on real files: what the model writes is really queried. */

const FIXTURES = path.join(import.meta.dirname, "../../fixtures/data");
const sql = new DuckDbQuerier({ maxRows: 100, timeoutMs: 5_000 });

async function attached(...names: string[]): Promise<AgentContext["attachments"]> {
  return Promise.all(
    names.map(async (name) => ({ name, text: await readFile(path.join(FIXTURES, name), "utf8") })),
  );
}

function setup(
  handlers: Record<string, ScriptedHandler>,
  options: { attachments?: AgentContext["attachments"]; tools?: AgentTools; locale?: "ko" | "en" } = {},
) {
  const llm = new ScriptedLlm({ handlers });
  const ctx: AgentContext = {
    llm,
    locale: options.locale ?? "en",
    signal: new AbortController().signal,
    request: "analyse the attached sales",
    dependencies: [],
    history: [],
    attachments: options.attachments ?? [],
    tools: options.tools ?? { sql },
    onUsage: () => {},
  };
  return {
    llm,
    run: (task = "Total sales per region") => dataAgent.run({ id: 2, task, description: "" }, ctx),
  };
}

const BY_REGION = 'SELECT "지역", sum("매출") AS "합계" FROM sales_ko GROUP BY 1 ORDER BY 2 DESC';

function rowsOf(output: { artifacts?: Artifact[] | undefined }): unknown[] {
  const table = output.artifacts?.find((artifact) => artifact.kind === "table");
  if (table?.kind !== "table") throw new Error("no table artifact");
  return table.rows;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the step to fail");
}

describe("the data agent on attached files", () => {
  it("profiles the table, runs the model's query, and returns it as a table and a chart", async () => {
    const { run, llm } = setup(
      {
        "agent:data:sql": () => ({
          sql: BY_REGION,
          title: "Sales by region",
          chart: "bar",
          x: "지역",
          y: "합계",
        }),
      },
      { attachments: await attached("sales-ko.csv") },
    );
    const output = await run();
    expect(output.confidence).toBe(0.8);
    expect(output.result).toContain("Analysed sales-ko.csv: 6 row(s) in 1 table(s).");
    expect(output.result).toContain("**sales-ko.csv** → table `sales_ko`: 6 row(s), 4 column(s)");
    expect(output.result).toContain("| 매출 | BIGINT | 1 | 5 | 450 | 1500 | 990 |");
    expect(output.result).toContain(`\`\`\`sql\n${BY_REGION}\n\`\`\``);
    expect(output.result).toContain("| 서울 | 2700 |");
    expect(output.result).toContain(
      "The result is attached as sales_ko-result.csv, and drawn as sales_ko-result.png.",
    );
    expect(output.sources).toEqual([{ title: "sales-ko.csv (6 rows, table sales_ko)" }]);
    const [table, chart] = output.artifacts as Artifact[];
    expect(table).toEqual({
      kind: "table",
      title: "Sales by region",
      name: "sales_ko-result",
      columns: ["지역", "합계"],
      rows: [
        ["서울", 2700],
        ["부산", 1800],
        ["대구", 450],
      ],
      truncated: false,
    });
    expect(chart).toMatchObject({ kind: "chart", name: "sales_ko-result", spec: { mark: "bar" } });
    // The model saw the profile and sample rows, never more than the tables it may use.
    const prompt = llm.calls[0]?.messages.map((message) => message.content).join("\n") ?? "";
    expect(prompt).toContain("table `sales_ko`");
    expect(prompt).toContain("| 서울 | 1200 | 2024-01-05 | 김민수 |");
  });

  it("draws the chart it returns, Korean labels and all, as a PNG", async () => {
    const { run } = setup(
      { "agent:data:sql": () => ({ sql: BY_REGION, chart: "bar" }) },
      { attachments: await attached("sales-ko.csv") },
    );
    const output = await run();
    const step = { step_id: 2, artifacts: output.artifacts } as StepResult;
    const files = await artifactFiles([step], "ko");
    expect(files.notes).toEqual([]);
    const png = files.files.find((file) => file.filename === "sales_ko-result.png");
    expect(PNG.sync.read(png!.data).width).toBeGreaterThan(300);
    expect(files.files.map((file) => file.filename)).toEqual(["sales_ko-result.csv", "sales_ko-result.png"]);
  });

  it("writes its report in Korean for a Korean turn", async () => {
    const { run } = setup(
      { "agent:data:sql": () => ({ sql: BY_REGION }) },
      { attachments: await attached("sales-ko.csv"), locale: "ko" },
    );
    const output = await run("지역별 매출 합계");
    expect(output.result).toContain("sales-ko.csv 분석: 표 1개, 6행.");
    expect(output.result).toContain("| 열 | 형식 | 빈 값 | 고유 값 | 최소 | 최대 | 평균 |");
    expect(output.result).toContain("**결과**: 3행");
  });

  it("gives the model one chance to fix a query that fails, then runs the corrected one", async () => {
    const { run, llm } = setup(
      {
        "agent:data:sql": () => ({ sql: "SELECT region, sum(sales) FROM sales_ko GROUP BY 1" }),
        "agent:data:sql:fix": () => ({ sql: BY_REGION }),
      },
      { attachments: await attached("sales-ko.csv") },
    );
    const output = await run();
    expect(output.confidence).toBe(0.6);
    expect(output.result).toMatch(
      /The model's first query failed \(Binder Error: Referenced column "region" not found/,
    );
    expect(llm.calls.find((call) => call.purpose === "agent:data:sql:fix")?.context.error).toMatch(
      /^Binder Error/,
    );
    expect(rowsOf(output)).toHaveLength(3);
  });

  it("asks again, then falls back to an overview, when the model's 'query' is a file name or prose", async () => {
    const { run, llm } = setup(
      {
        "agent:data:sql": () => ({ sql: "Sales_ko.csv" }),
        "agent:data:sql:fix": () => ({ sql: "가장 많이" }),
      },
      { attachments: await attached("sales-ko.csv") },
    );
    const output = await run();
    expect(llm.calls.map((call) => call.purpose)).toEqual(["agent:data:sql", "agent:data:sql:fix"]);
    expect(output.result).toContain("The model gave no working query");
    expect(output.result).toContain('not a SQL query: it starts with "가장"');
    expect(rowsOf(output)).toHaveLength(3);
  });

  it("falls back to an overview query, and says so, when the model gives no usable query", async () => {
    // The default scripted answer is an agent answer, not a query: the schema refuses it.
    const { run } = setup({}, { attachments: await attached("sales-ko.csv") });
    const output = await run();
    expect(output.confidence).toBe(0.4);
    expect(output.result).toContain("The model gave no working query");
    expect(output.result).toContain(
      'SELECT "지역", sum("매출") AS "sum_매출" FROM "sales_ko" GROUP BY 1 ORDER BY 2 DESC NULLS LAST',
    );
    expect(rowsOf(output)).toEqual([
      ["서울", 2700],
      ["부산", 1800],
      ["대구", 450],
    ]);
  });

  it.each([
    ["DELETE FROM sales_ko", 'The query was refused: only a SELECT query may run, not "DELETE"'],
    ["COPY sales_ko TO '/tmp/stolen.csv'", 'The query was refused: only a SELECT query may run, not "COPY"'],
    [
      "SELECT * FROM read_text('/etc/passwd')",
      /^The query was refused: it tried to reach a file outside the attached tables \(Permission Error/,
    ],
  ])("fails the step when the query writes or reads other files: %s", async (query, message) => {
    const { run, llm } = setup(
      { "agent:data:sql": () => ({ sql: query }) },
      { attachments: await attached("sales-ko.csv") },
    );
    const error = await failure(run("export the table"));
    expect(isOctoError(error, "tool_failed")).toBe(true);
    expect(error.message).toMatch(message);
    expect(llm.calls.map((call) => call.purpose)).toEqual(["agent:data:sql"]);
  });

  it("fails the step with the line that is wrong when the CSV is malformed", async () => {
    const { run, llm } = setup({}, { attachments: await attached("broken-fields.csv") });
    const error = await failure(run());
    expect(isOctoError(error, "tool_failed")).toBe(true);
    expect(error.message).toBe(
      "The attached data could not be loaded: broken-fields.csv is not valid CSV: line 3 has 2 field(s), the header has 3",
    );
    expect(llm.calls).toHaveLength(0);
  });

  it("queries several files together", async () => {
    const { run } = setup(
      {
        "agent:data:sql": ({ context }) => ({
          sql: "SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM scores) AS scores",
          tables: context.tables,
        }),
      },
      { attachments: await attached("orders.tsv", "scores.json") },
    );
    const output = await run("count the rows");
    expect(output.result).toContain("Analysed orders.tsv, scores.json: 7 row(s) in 2 table(s).");
    expect(rowsOf(output)).toEqual([[4, 3]]);
  });
});

describe("the data agent without tables or without its tool", () => {
  it("answers from the task as a model when nothing tabular is attached", async () => {
    const answer = "Adding 4 and 8 gives 12, and half of that is 6.";
    const { run, llm } = setup({ agent: () => ({ result: answer, confidence: 0.7 }) });
    expect(await run("mean of 4 and 8")).toEqual({ result: answer, confidence: 0.7 });
    expect(llm.calls.map((call) => call.purpose)).toEqual(["agent:data"]);
  });

  it("says honestly that attached tables were not analysed when there is no SQL tool", async () => {
    const { run } = setup(
      { agent: () => ({ result: "Sales look fine.", confidence: 0.8 }) },
      { attachments: await attached("sales-ko.csv"), tools: {} },
    );
    const output = await run();
    expect(output).toMatchObject({ fallback: true, confidence: 0.3 });
    expect(output.result).toContain("SQL on attached files is not available here");
  });
});

describe("a data step in a conversation", () => {
  const fixture = serviceFixture("postgres");

  it("answers with the profile and the query's rows, and every platform attaches the CSV and the chart", async () => {
    const { service } = fixture.make({
      tools: { sql },
      scripted: {
        handlers: {
          plan: planOf({ id: 1, agent: "data", task: "Total sales per region" }),
          "agent:data:sql": () => ({ sql: BY_REGION, title: "지역별 매출", chart: "bar" }),
        },
      },
    });
    const events = await collectEvents(
      service.send({
        platform: "console",
        threadKey: "console:data",
        user: "alice",
        text: "analyse the attached sales",
        attachments: await attached("sales-ko.csv"),
      }),
    );
    const result = resultOf(events);
    expect(result.step_results[0]).toMatchObject({
      status: "completed",
      sources: [{ title: "sales-ko.csv (6 rows, table sales_ko)" }],
    });
    for (const render of [consoleRenderer, slack, discord]) {
      const rendered = await render.renderResult(result, "ko");
      expect(rendered.files.map((file) => file.filename)).toEqual([
        "sales_ko-result.csv",
        "sales_ko-result.png",
      ]);
    }
    const text = (await consoleRenderer.renderResult(result, "ko")).messages[0]?.text ?? "";
    expect(text).toContain("| 서울 | 2700 |");
  });
});
