import { t } from "../../i18n/index.js";
import type { RunResult } from "../../supervisor/types.js";
import { clip, type Locale, type OutputFormat } from "../../vocabulary/index.js";
import { formatBytes } from "../text.js";
import type { RenderedFile } from "../types.js";
import { type ResultView, viewOf } from "../view.js";
import { artifactFiles } from "./artifacts.js";
import { graphJsonOf } from "./graph-json.js";
import type { GraphLayout, GraphStep } from "./graph-layout.js";
import { renderGraphPng } from "./graph-png.js";
import { answerMarkdown, reportMarkdown, stepsMarkdown } from "./markdown.js";
import { renderReportPdf } from "./report-pdf.js";
import { type FileBundle, textFile } from "./split.js";

export type { FileBundle };
export { textFile };

/**
 * The files a result format brings (graph picture and JSON, report PDF and Markdown, raw JSON), made to
 * fit a platform's upload limit: pictures are drawn smaller, PDFs print less of each step, text files
 * are split into parts. Every such change comes back as a note for the reply.
 */

export const FILE_NAMES = {
  graphPng: "graph.png",
  graphJson: "graph.json",
  graphHierarchical: "graph-hierarchical.json",
  reportPdf: "report.pdf",
  reportMarkdown: "report.md",
  json: "result.json",
  answer: "answer.md",
  steps: "steps.md",
} as const;

const WANTS: Record<OutputFormat, { graph: boolean; report: boolean; json: boolean }> = {
  chat: { graph: false, report: false, json: false },
  graph: { graph: true, report: false, json: false },
  report: { graph: false, report: true, json: false },
  json: { graph: false, report: false, json: true },
  all: { graph: true, report: true, json: true },
};

function jsonBuffer(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");
}

export function graphSteps(view: ResultView): GraphStep[] {
  return view.steps.map((step) => ({
    id: step.id,
    agent: step.agent,
    task: step.task,
    status: step.status,
    dependsOn: step.dependsOn,
  }));
}

/** The whole answer as `answer.md`, for a reply whose answer is longer than a platform shows. */
export function answerFile(view: ResultView, locale: Locale, maxBytes: number): FileBundle {
  return textFile(
    {
      filename: FILE_NAMES.answer,
      mimeType: "text/markdown",
      data: Buffer.from(answerMarkdown(view, locale)),
      title: t(locale, "result.answer_title"),
    },
    maxBytes,
    locale,
  );
}

/** Every step as `steps.md`, for a reply with more steps than a platform shows. */
export function stepsFile(view: ResultView, locale: Locale, maxBytes: number): FileBundle {
  return textFile(
    {
      filename: FILE_NAMES.steps,
      mimeType: "text/markdown",
      data: Buffer.from(stepsMarkdown(view, locale)),
      title: t(locale, "result.steps_title"),
    },
    maxBytes,
    locale,
  );
}

async function graphFiles(
  result: RunResult,
  view: ResultView,
  locale: Locale,
  maxBytes: number,
): Promise<FileBundle> {
  const notes: string[] = [];
  const files: RenderedFile[] = [];
  const png = await renderGraphPng(graphSteps(view), view.request, locale, { maxBytes });
  const layout: GraphLayout = png.layout;
  if (png.data.length <= maxBytes) {
    files.push({
      filename: FILE_NAMES.graphPng,
      mimeType: "image/png",
      data: png.data,
      title: t(locale, "result.graph_title"),
      altText: clip(
        t(locale, "result.graph_alt", { count: view.steps.length, request: clip(view.request, 300) }),
        1000,
      ),
    });
    if (png.shrunk)
      notes.push(
        t(locale, "result.file_shrunk", { file: FILE_NAMES.graphPng, limit: formatBytes(maxBytes) }),
      );
  } else {
    notes.push(
      t(locale, "result.file_dropped", {
        file: FILE_NAMES.graphPng,
        limit: formatBytes(maxBytes),
        other: FILE_NAMES.graphJson,
      }),
    );
  }
  const graph = textFile(
    {
      filename: FILE_NAMES.graphJson,
      mimeType: "application/json",
      data: jsonBuffer(graphJsonOf(result, view, layout)),
      title: FILE_NAMES.graphJson,
    },
    maxBytes,
    locale,
  );
  files.push(...graph.files);
  notes.push(...graph.notes);
  if (result.final_result.graph_hierarchical) {
    const hierarchical = textFile(
      {
        filename: FILE_NAMES.graphHierarchical,
        mimeType: "application/json",
        data: jsonBuffer(result.final_result.graph_hierarchical),
        title: FILE_NAMES.graphHierarchical,
      },
      maxBytes,
      locale,
    );
    files.push(...hierarchical.files);
    notes.push(...hierarchical.notes);
  }
  return { files, notes };
}

/** Ever shorter step texts until the PDF fits; the Markdown beside it keeps every word. */
const PDF_ATTEMPTS = [
  { maxStepChars: 3000, maxAnswerChars: 20_000 },
  { maxStepChars: 600, maxAnswerChars: 6000 },
  { maxStepChars: 120, maxAnswerChars: 1500 },
];

async function reportFiles(
  result: RunResult,
  view: ResultView,
  locale: Locale,
  maxBytes: number,
): Promise<FileBundle> {
  const notes: string[] = [];
  const files: RenderedFile[] = [];
  let pdf: Buffer | undefined;
  for (const [index, attempt] of PDF_ATTEMPTS.entries()) {
    const candidate = await renderReportPdf(result, view, locale, attempt);
    if (candidate.length <= maxBytes) {
      pdf = candidate;
      if (index > 0)
        notes.push(
          t(locale, "result.file_shrunk", { file: FILE_NAMES.reportPdf, limit: formatBytes(maxBytes) }),
        );
      break;
    }
  }
  if (pdf) {
    files.push({
      filename: FILE_NAMES.reportPdf,
      mimeType: "application/pdf",
      data: pdf,
      title: t(locale, "report.title"),
    });
  } else {
    notes.push(
      t(locale, "result.file_dropped", {
        file: FILE_NAMES.reportPdf,
        limit: formatBytes(maxBytes),
        other: FILE_NAMES.reportMarkdown,
      }),
    );
  }
  const markdown = textFile(
    {
      filename: FILE_NAMES.reportMarkdown,
      mimeType: "text/markdown",
      data: Buffer.from(reportMarkdown(result, view, locale), "utf8"),
      title: `${t(locale, "report.title")} (Markdown)`,
    },
    maxBytes,
    locale,
  );
  files.push(...markdown.files);
  notes.push(...markdown.notes);
  return { files, notes };
}

export function jsonFile(result: RunResult, locale: Locale, maxBytes: number): FileBundle {
  return textFile(
    {
      filename: FILE_NAMES.json,
      mimeType: "application/json",
      data: jsonBuffer({ aggregated_data: result.aggregated_data, final_result: result.final_result }),
      title: FILE_NAMES.json,
    },
    maxBytes,
    locale,
  );
}

/** Files for `result.format`, then the steps' artifacts, in the order they should be posted (picture first). */
export async function resultFiles(
  result: RunResult,
  locale: Locale,
  options: { maxFileBytes?: number; view?: ResultView } = {},
): Promise<FileBundle> {
  const maxBytes = options.maxFileBytes ?? Number.POSITIVE_INFINITY;
  const view = options.view ?? viewOf(result);
  const wants = WANTS[result.format];
  const bundles: FileBundle[] = [];
  if (wants.graph) bundles.push(await graphFiles(result, view, locale, maxBytes));
  if (wants.report) bundles.push(await reportFiles(result, view, locale, maxBytes));
  if (wants.json) bundles.push(jsonFile(result, locale, maxBytes));
  // Whatever the format, what the steps made (drafts, tables, charts) is part of the answer.
  bundles.push(
    await artifactFiles(result.step_results, locale, {
      maxFileBytes: maxBytes,
      taken: [
        ...Object.values(FILE_NAMES),
        ...bundles.flatMap((bundle) => bundle.files.map((f) => f.filename)),
      ],
    }),
  );
  return {
    files: bundles.flatMap((bundle) => bundle.files),
    notes: bundles.flatMap((bundle) => bundle.notes),
  };
}
