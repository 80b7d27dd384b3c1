import { z } from "zod";
import { type MessageKey, t } from "../../i18n/index.js";
import type { LlmMessage } from "../../llm/types.js";
import { CHART_MARKS, chartSpec } from "../../tools/charts/index.js";
import {
  isSqlError,
  type QueryResult,
  type SqlError,
  type TableFile,
  type TableProfile,
  type TableSession,
} from "../../tools/sql/index.js";
import { clip, errorMessage, type Locale, OctoError } from "../../vocabulary/index.js";
import type { Artifact } from "../types.js";
import { overviewQuery, profileMarkdown, queryMarkdown, resultMarkdown } from "./data-report.js";
import { llmAgent } from "./llm-agent.js";
import type { AgentContext, AgentDefinition, AgentOutput, AgentStep } from "./types.js";

/** Without attached tables the step is the model's, as it always was: figures in the task, earlier results. */
const dataModel = llmAgent({
  name: "data",
  description: {
    en: "data analysis: runs SQL over attached CSV, TSV, JSON or Parquet files, with a table and a chart; computes statistics and trends",
    ko: "데이터 분석: 첨부한 CSV, TSV, JSON, Parquet 파일에 SQL을 실행해 표와 차트로 보여 줌; 통계와 추세 계산",
  },
  routing: {
    keywords: {
      en: [
        "data",
        "dataset",
        "csv",
        "spreadsheet",
        "excel",
        "table",
        "analyze",
        "analyse",
        "analysis",
        "statistic",
        "average",
        "median",
        "trend",
        "chart",
        "plot",
        "graph",
        "sales figures",
        "revenue",
        "numbers",
        "correlation",
        "forecast",
        "percentage",
      ],
      ko: [
        "데이터",
        "분석",
        "통계",
        "평균",
        "중앙값",
        "추세",
        "차트",
        "그래프",
        "표로",
        "csv",
        "엑셀",
        "매출",
        "수치",
        "상관관계",
        "예측",
        "비율",
      ],
    },
    examples: {
      en: [
        {
          request: "Compute the average and median of 4, 8, 15, 16, 23, 42",
          steps: [{ task: "Compute the average and median of 4, 8, 15, 16, 23, 42" }],
        },
        {
          request: "Look up the population of the five largest cities, then chart them",
          steps: [
            { agent: "search", task: "Find the population of the five largest cities" },
            { task: "Chart the populations found in step 1", depends_on: [1] },
          ],
        },
      ],
      ko: [
        {
          request: "4, 8, 15, 16, 23, 42의 평균과 중앙값을 계산해 줘",
          steps: [{ task: "4, 8, 15, 16, 23, 42의 평균과 중앙값 계산" }],
        },
        {
          request: "가장 큰 다섯 도시의 인구를 찾은 다음 차트로 비교해 줘",
          steps: [
            { agent: "search", task: "가장 큰 다섯 도시의 인구 찾기" },
            { task: "1단계에서 찾은 인구를 차트로 비교", depends_on: [1] },
          ],
        },
      ],
    },
  },
  approval: "planner",
  role: [
    "You are the Data agent of a multi-agent assistant.",
    "Analyse the data in the task, earlier results and attached files: compute the figures asked for, show the method in one line each, and list the trends or anomalies you see.",
    "If the data needed is missing, say exactly what is missing rather than inventing numbers.",
  ].join(" "),
});

const QuerySchema = z.object({
  sql: z.string().min(1).describe("One DuckDB SELECT query over the tables given, answering the task"),
  title: z.string().optional().describe("A short title for the result, in the user's language"),
  chart: z
    .enum([...CHART_MARKS, "none"])
    .optional()
    .describe("The chart that suits the result"),
  x: z.string().optional().describe("The result column for the chart's x axis (or categories)"),
  y: z.string().optional().describe("The result column with the numbers to chart"),
});
type QueryPlan = z.infer<typeof QuerySchema>;

const SQL_ROLE = [
  "You are the Data agent of a multi-agent assistant. You answer with one DuckDB SQL query, which is run for you.",
  "Write a single SELECT (or WITH ... SELECT) over only the tables below, using their exact column names in double quotes.",
  "Prefer aggregates (count, sum, avg, min, max with GROUP BY) and ORDER BY for what the task asks. Never write, create, copy or attach anything.",
].join(" ");

const SAMPLE_ROWS = 3;

async function tablesPrompt(session: TableSession, locale: Locale): Promise<string> {
  const parts: string[] = [];
  for (const table of session.tables) {
    parts.push(profileMarkdown(table, locale));
    const sample = await session
      .query(`SELECT * FROM "${table.table}" LIMIT ${SAMPLE_ROWS}`)
      .catch(() => undefined);
    if (sample && sample.rows.length > 0) parts.push(resultMarkdown(sample, locale, SAMPLE_ROWS));
  }
  return parts.join("\n\n");
}

async function askForQuery(
  step: AgentStep,
  ctx: AgentContext,
  tables: string,
  failed?: { sql: string; error: string },
): Promise<QueryPlan> {
  const parts = [`Task: ${step.task}`];
  if (ctx.request.trim() !== step.task.trim()) parts.push(`The user's request: ${ctx.request}`);
  parts.push("Tables:", tables);
  if (failed)
    parts.push(`This query failed:\n${failed.sql}\nError: ${failed.error}`, "Write a corrected query.");
  const messages: LlmMessage[] = [
    { role: "system", content: SQL_ROLE },
    { role: "user", content: parts.join("\n\n") },
  ];
  return ctx.llm.structured(messages, QuerySchema, {
    purpose: failed ? "agent:data:sql:fix" : "agent:data:sql",
    schemaName: "data_query",
    signal: ctx.signal,
    onUsage: ctx.onUsage,
    locale: ctx.locale,
    context: {
      task: step.task,
      locale: ctx.locale,
      tables: ctx.attachments.map((file) => file.name),
      ...(failed ? { failed: failed.sql, error: failed.error } : {}),
    },
  });
}

/** Refusals and file access are the request's doing: they end the step. Other errors may be fixed. */
function ends(error: SqlError): boolean {
  return error.kind !== "query" || /^Permission Error/i.test(error.message);
}

function failure(error: SqlError, locale: Locale): OctoError {
  const key: MessageKey = /^Permission Error/i.test(error.message)
    ? "data.failed.files"
    : `data.failed.${error.kind}`;
  return new OctoError("tool_failed", t(locale, key, { reason: clip(error.message, 400) }), {
    retryable: false,
    cause: error,
  });
}

interface Answered {
  result: QueryResult;
  plan: QueryPlan | undefined;
  note?: string;
}

/**
 * The model's query, run; an ordinary error (an unknown column, a typo) gets one corrected query; a
 * model that gives none that works leaves the overview query, said so. A query that is refused (it
 * writes, or reaches a file) fails the step: that is what was asked, and it may not be done.
 */
async function answered(step: AgentStep, ctx: AgentContext, session: TableSession): Promise<Answered> {
  const tables = await tablesPrompt(session, ctx.locale);
  let lastError = "";
  let failed: { sql: string; error: string } | undefined;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let plan: QueryPlan;
    try {
      plan = await askForQuery(step, ctx, tables, failed);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      lastError = errorMessage(error);
      break;
    }
    try {
      const result = await session.query(plan.sql, { signal: ctx.signal });
      const note = failed ? t(ctx.locale, "data.query_fixed", { error: clip(failed.error, 200) }) : undefined;
      return { result, plan, ...(note ? { note } : {}) };
    } catch (error) {
      if (!isSqlError(error)) throw error;
      if (ends(error)) throw failure(error, ctx.locale);
      lastError = error.message;
      failed = { sql: plan.sql, error: error.message };
    }
  }
  const first = session.tables[0] as TableProfile;
  try {
    const result = await session.query(overviewQuery(first), { signal: ctx.signal });
    return {
      result,
      plan: undefined,
      note: t(ctx.locale, "data.query_default", { error: clip(lastError, 200) }),
    };
  } catch (error) {
    if (isSqlError(error)) throw failure(error, ctx.locale);
    throw error;
  }
}

function artifactsOf(answer: Answered, name: string, title: string): Artifact[] {
  const { result, plan } = answer;
  const table: Artifact = {
    kind: "table",
    title,
    name,
    columns: result.columns,
    rows: result.rows,
    truncated: result.truncated,
  };
  const hint =
    plan?.chart && plan.chart !== "none"
      ? { mark: plan.chart, x: plan.x, y: plan.y }
      : { x: plan?.x, y: plan?.y };
  const spec = plan?.chart === "none" ? undefined : chartSpec(result, title, hint);
  return spec ? [table, { kind: "chart", title, name, spec }] : [table];
}

/** The attachments DuckDB can read (CSV, TSV, JSON, Parquet), as the SQL tool takes them. */
function tableFiles(ctx: AgentContext): TableFile[] {
  const sql = ctx.tools.sql;
  if (!sql) return [];
  return ctx.attachments
    .map((file) => ({
      name: file.name,
      text: file.text,
      ...(file.data ? { bytes: Buffer.from(file.data, "base64") } : {}),
    }))
    .filter((file) => sql.accepts(file));
}

async function analysed(step: AgentStep, ctx: AgentContext): Promise<AgentOutput> {
  const sql = ctx.tools.sql;
  if (!sql) throw new Error("analysed without the SQL tool");
  let session: TableSession;
  try {
    session = await sql.open(tableFiles(ctx), { signal: ctx.signal });
  } catch (error) {
    if (isSqlError(error)) throw failure(error, ctx.locale);
    throw error;
  }
  try {
    const answer = await answered(step, ctx, session);
    const title = clip(answer.plan?.title?.trim() || step.task, 120);
    const name = `${session.tables[0]?.table ?? "data"}-result`;
    const artifacts = artifactsOf(answer, name, title);
    const files = session.tables.map((table) => table.file).join(", ");
    const rows = session.tables.reduce((sum, table) => sum + table.rows, 0);
    const attached =
      artifacts.length > 1
        ? t(ctx.locale, "data.attached_chart", { file: `${name}.csv`, chart: `${name}.png` })
        : t(ctx.locale, "data.attached", { file: `${name}.csv` });
    const parts = [
      t(ctx.locale, "data.summary", {
        files,
        rows: rows.toLocaleString(ctx.locale === "ko" ? "ko-KR" : "en-US"),
        tables: session.tables.length,
      }),
      ...session.tables.map((table) => profileMarkdown(table, ctx.locale)),
      ...(answer.note ? [`_${answer.note}_`] : []),
      queryMarkdown(answer.result.sql, ctx.locale),
      resultMarkdown(answer.result, ctx.locale),
      attached,
    ];
    return {
      result: parts.join("\n\n"),
      confidence: answer.plan ? (answer.note ? 0.6 : 0.8) : 0.4,
      sources: session.tables.map((table) => ({
        title: `${table.file} (${table.rows} rows, table ${table.table})`,
      })),
      artifacts,
    };
  } finally {
    await session.close();
  }
}

/**
 * The data agent: attached tables are loaded into a locked-down DuckDB and profiled without the model,
 * the model writes one read-only query over them, and the step reports the profile, the query and its
 * result, with the result as a table and a chart. Without attached tables it answers from the task and
 * earlier results, as a model; with tables but no SQL tool it says it could not analyse them.
 */
export const dataAgent: AgentDefinition = {
  name: dataModel.name,
  description: dataModel.description,
  ...(dataModel.routing ? { routing: dataModel.routing } : {}),
  approval: dataModel.approval,
  async run(step, ctx) {
    if (ctx.tools.sql) {
      if (tableFiles(ctx).length > 0) return analysed(step, ctx);
      return dataModel.run(step, ctx);
    }
    const output = await dataModel.run(step, ctx);
    const tabular = ctx.attachments.some((file) =>
      /\.(csv|tsv|tab|json|jsonl|ndjson|parquet)$/i.test(file.name),
    );
    if (!tabular) return output;
    return {
      ...output,
      result: `${output.result}\n\n_${t(ctx.locale, "data.no_tool")}_`,
      confidence: Math.min(output.confidence, 0.3),
      fallback: true,
    };
  },
};
