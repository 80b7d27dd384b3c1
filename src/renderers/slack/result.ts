import { t } from "../../i18n/index.js";
import type { RunResult } from "../../supervisor/types.js";
import { clip, type Locale, type OutputFormat, oneLine } from "../../vocabulary/index.js";
import { summaryLine } from "../files/markdown.js";
import { answerFile, FILE_NAMES, type FileBundle, resultFiles, stepsFile } from "../files/result-files.js";
import { confidenceLabel, SUMMARY_EMOJI, stepPreview, summaryParts } from "../summary.js";
import { tablePreviews } from "../table-preview.js";
import { plainPreview, splitEscaped } from "../text.js";
import type { Rendered, RenderResultOptions } from "../types.js";
import { type ResultView, STATE_EMOJI, type StepView, viewOf } from "../view.js";
import { context, divider, mrkdwnSections, type SlackBlock, type SlackMessage } from "./blocks.js";
import { feedbackBlock } from "./feedback.js";
import { SLACK_LIMITS } from "./limits.js";
import { escapeMrkdwn, markdownToMrkdwn } from "./mrkdwn.js";
import { packSlack } from "./pack.js";
import { viewRunBlocks } from "./run-link.js";

/**
 * A finished run as Slack messages plus files. One reply: the answer and summary in Block Kit, pictures
 * and documents as files uploaded into the same thread. What does not fit goes to follow-up messages
 * (answer text) or to an attached file (long step lists, very long answers), always with a note.
 */

/** Answer text shown inline before the rest moves to answer.md (about two messages of text). */
export const ANSWER_INLINE = 20_000;
/** Step lines shown inline; longer plans list every step in steps.md. */
const STEP_LINES = 20;
const PREVIEW_CHARS = 140;
const TASK_CHARS = 80;
const INSIGHT_CHARS = 600;

interface Draft {
  blocks: SlackBlock[];
  files: FileBundle;
}

export function summaryMrkdwn(view: ResultView, locale: Locale): string {
  return summaryParts(view, locale)
    .map((part) => `${SUMMARY_EMOJI[part.kind]} ${escapeMrkdwn(part.text)}`)
    .join("   ");
}

function stepLine(step: StepView, locale: Locale): { text: string; shortened: boolean } {
  const preview = stepPreview(step, locale, PREVIEW_CHARS);
  const confidence =
    step.ran && step.status === "completed" ? ` (${confidenceLabel(step.confidence, locale)})` : "";
  const text =
    `${STATE_EMOJI[step.status]} *#${step.id}* \`${escapeMrkdwn(clip(oneLine(step.agent), 40))}\` ` +
    `${escapeMrkdwn(clip(oneLine(step.task), TASK_CHARS))}${preview.text ? ` — ${escapeMrkdwn(preview.text)}` : ""}${confidence}`;
  return { text, shortened: preview.shortened || oneLine(step.task).length > TASK_CHARS };
}

function answerBlocks(view: ResultView, locale: Locale, maxFileBytes: number): Draft {
  const mrkdwn = markdownToMrkdwn(view.answer.trim() || t(locale, "answer.no_steps"));
  const chunks = splitEscaped(mrkdwn, SLACK_LIMITS.sectionText);
  const shown: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    if (length + chunk.length > ANSWER_INLINE) break;
    shown.push(chunk);
    length += chunk.length;
  }
  const blocks = shown.flatMap((chunk) => mrkdwnSections(chunk));
  if (shown.length === chunks.length) return { blocks, files: { files: [], notes: [] } };
  const file = answerFile(view, locale, maxFileBytes);
  blocks.push(
    ...context(`📎 ${escapeMrkdwn(t(locale, "result.overflow_answer", { file: FILE_NAMES.answer }))}`),
  );
  return { blocks, files: file };
}

export function insightsBlocks(view: ResultView, locale: Locale): SlackBlock[] {
  if (view.topInsights.length === 0) return [];
  const lines = view.topInsights.map(
    (insight) => `• ${escapeMrkdwn(clip(oneLine(insight.description), INSIGHT_CHARS))}`,
  );
  return mrkdwnSections(`*💡 ${escapeMrkdwn(t(locale, "chat.insights_title"))}*\n${lines.join("\n")}`);
}

function stepBlocks(view: ResultView, locale: Locale, maxFileBytes: number): Draft {
  if (view.steps.length === 0)
    return { blocks: context(escapeMrkdwn(t(locale, "result.no_steps"))), files: { files: [], notes: [] } };
  const overflow = view.steps.length > STEP_LINES;
  const shownSteps = overflow ? view.steps.slice(0, STEP_LINES - 1) : view.steps;
  const lines = shownSteps.map((step) => stepLine(step, locale));
  const blocks = mrkdwnSections(
    `*${escapeMrkdwn(t(locale, "result.steps_title"))}*\n${lines.map((line) => line.text).join("\n")}`,
  );
  const notes: string[] = [];
  if (lines.some((line) => line.shortened)) notes.push(t(locale, "result.shortened_note"));
  let files: FileBundle = { files: [], notes: [] };
  if (overflow) {
    notes.push(
      t(locale, "result.overflow_steps", {
        count: view.steps.length - shownSteps.length,
        file: FILE_NAMES.steps,
      }),
    );
    files = stepsFile(view, locale, maxFileBytes);
  }
  if (notes.length > 0) blocks.push(...context(notes.map((note) => `_${escapeMrkdwn(note)}_`).join("\n")));
  return { blocks, files };
}

/** The first rows of the steps' tables, as code blocks (Slack draws no Markdown tables). */
export function previewBlocks(result: RunResult, locale: Locale): SlackBlock[] {
  const tables = tablePreviews(result.step_results, locale);
  if (tables.length === 0) return [];
  return [
    ...context(escapeMrkdwn(t(locale, "result.previews_title"))),
    ...tables.flatMap((table) =>
      mrkdwnSections(`*${escapeMrkdwn(table.caption)}*\n\`\`\`${escapeMrkdwn(table.lines.join("\n"))}\`\`\``),
    ),
  ];
}

function chatDraft(result: RunResult, view: ResultView, locale: Locale, maxFileBytes: number): Draft {
  const answer = answerBlocks(view, locale, maxFileBytes);
  const steps = stepBlocks(view, locale, maxFileBytes);
  return {
    blocks: [
      ...answer.blocks,
      ...context(summaryMrkdwn(view, locale)),
      ...insightsBlocks(view, locale),
      divider(),
      ...steps.blocks,
      ...previewBlocks(result, locale),
    ],
    files: {
      files: [...answer.files.files, ...steps.files.files],
      notes: [...answer.files.notes, ...steps.files.notes],
    },
  };
}

export function captionBlocks(format: OutputFormat, view: ResultView, locale: Locale): SlackBlock[] {
  const request = escapeMrkdwn(clip(oneLine(view.request), 300));
  switch (format) {
    case "graph":
      return mrkdwnSections(
        `*📈 ${escapeMrkdwn(t(locale, "result.graph_title"))}* — ${request}\n${escapeMrkdwn(t(locale, "result.graph_caption", { count: view.steps.length, file: FILE_NAMES.graphJson }))}`,
      );
    case "report":
      return mrkdwnSections(
        `*📄 ${escapeMrkdwn(t(locale, "report.title"))}* — ${request}\n${escapeMrkdwn(t(locale, "result.report_caption"))}`,
      );
    case "json":
      return mrkdwnSections(
        `📦 ${escapeMrkdwn(t(locale, "result.json_caption", { file: FILE_NAMES.json }))}`,
      );
    default:
      return [];
  }
}

export function filesBlock(files: FileBundle, locale: Locale): SlackBlock[] {
  const lines = files.notes.map((note) => `_${escapeMrkdwn(note)}_`);
  if (files.files.length > 0) {
    const names = files.files.map((file) => `\`${escapeMrkdwn(file.filename)}\``).join(", ");
    lines.unshift(`📎 ${escapeMrkdwn(t(locale, "result.files_title"))}: ${names}`);
  }
  return lines.length === 0 ? [] : context(lines.join("\n"));
}

export async function renderResult(
  result: RunResult,
  locale: Locale,
  options: RenderResultOptions = {},
): Promise<Rendered<SlackMessage>> {
  const maxFileBytes = options.maxFileBytes ?? Number.POSITIVE_INFINITY;
  const view = viewOf(result);
  const formatFiles = await resultFiles(result, locale, { maxFileBytes, view });
  let blocks: SlackBlock[];
  let overflow: FileBundle = { files: [], notes: [] };
  if (result.format === "chat" || result.format === "all") {
    const draft = chatDraft(result, view, locale, maxFileBytes);
    blocks = draft.blocks;
    overflow = draft.files;
    if (result.format === "all")
      blocks.push(
        divider(),
        ...captionBlocks("graph", view, locale),
        ...captionBlocks("report", view, locale),
      );
  } else if (result.format === "json") {
    blocks = mrkdwnSections(
      `${summaryMrkdwn(view, locale)}\n📦 ${escapeMrkdwn(t(locale, "result.json_caption", { file: FILE_NAMES.json }))}`,
    );
  } else {
    blocks = [...captionBlocks(result.format, view, locale), ...context(summaryMrkdwn(view, locale))];
    if (result.format === "report") blocks.push(...insightsBlocks(view, locale));
  }
  const files = {
    files: [...formatFiles.files, ...overflow.files],
    notes: [...formatFiles.notes, ...overflow.notes],
  };
  blocks.push(...filesBlock(files, locale), ...viewRunBlocks(options.runUrl, locale));
  // Last, so it closes the answer's last message however many it takes.
  if (options.feedbackRunId) blocks.push(feedbackBlock(options.feedbackRunId, locale));
  const fallback = `${summaryLine(view, locale)} — ${plainPreview(view.answer) || view.request}`;
  return { messages: packSlack(blocks, fallback, locale), files: files.files };
}
