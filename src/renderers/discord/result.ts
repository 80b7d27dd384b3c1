import { t } from "../../i18n/index.js";
import type { RunResult } from "../../supervisor/types.js";
import { clip, type Locale, oneLine } from "../../vocabulary/index.js";
import { summaryLine } from "../files/markdown.js";
import { answerFile, FILE_NAMES, type FileBundle, resultFiles, stepsFile } from "../files/result-files.js";
import { confidenceLabel, SUMMARY_EMOJI, stateLabel, stepPreview, summaryParts } from "../summary.js";
import { tablePreviews } from "../table-preview.js";
import type { Rendered, RenderResultOptions } from "../types.js";
import { OUTCOME_COLOUR, type ResultView, STATE_EMOJI, type StepView, viewOf } from "../view.js";
import { feedbackRow } from "./feedback.js";
import { DISCORD_LIMITS, type DiscordEmbed, type DiscordMessage, embedLength } from "./limits.js";
import { hexColour, neutralizeMentions, plainLabel } from "./markdown.js";
import { descriptionChunks, fieldText, packDiscord, textChunks } from "./pack.js";
import { withViewRun } from "./run-link.js";

/**
 * A finished run as Discord messages plus files: embeds coloured by outcome (answer, overview with
 * insights, one field per step), the graph picture inside its embed, documents as attachments. What does
 * not fit goes to follow-up messages or, for long step lists and very long answers, to a file, with a note.
 */

/** Embed descriptions of answer text shown before the rest moves to answer.md. */
const ANSWER_EMBEDS = 3;
const ANSWER_CHUNK = 4000;
/** Steps listed as fields; longer plans list every step in steps.md. */
const STEP_FIELDS = 24;
/** Keeps each steps embed comfortably under the 6000-character total. */
const STEPS_EMBED_BUDGET = 5000;
const TASK_CHARS = 100;
const PREVIEW_CHARS = 160;
const DEFAULT_MAX_FILE = DISCORD_LIMITS.attachmentBytes;

interface Draft {
  embeds: DiscordEmbed[];
  notes: string[];
  files: FileBundle;
}

const empty = (): FileBundle => ({ files: [], notes: [] });

function summaryText(view: ResultView, locale: Locale): string {
  return summaryParts(view, locale)
    .map((part) => `${SUMMARY_EMOJI[part.kind]} ${part.text}`)
    .join("  ·  ");
}

function answerEmbeds(view: ResultView, locale: Locale, colour: number, maxFileBytes: number): Draft {
  const chunks = descriptionChunks(view.answer.trim() || t(locale, "answer.no_steps"), ANSWER_CHUNK);
  const shown = chunks.slice(0, ANSWER_EMBEDS);
  const embeds = shown.map(
    (description, index): DiscordEmbed => ({
      ...(index === 0 ? { title: `💬 ${clip(t(locale, "result.answer_title"), 200)}` } : {}),
      description,
      color: colour,
    }),
  );
  if (shown.length === chunks.length) return { embeds, notes: [], files: empty() };
  const files = answerFile(view, locale, maxFileBytes);
  return { embeds, notes: [`📎 ${t(locale, "result.overflow_answer", { file: FILE_NAMES.answer })}`], files };
}

function overviewEmbed(view: ResultView, locale: Locale, colour: number): DiscordEmbed {
  const insights = view.topInsights.map((insight) => `• ${fieldText(oneLine(insight.description), 320)}`);
  return {
    title: `📊 ${t(locale, "chat.summary_title")}`,
    description: fieldText(summaryText(view, locale), DISCORD_LIMITS.embedDescription),
    color: colour,
    ...(insights.length > 0
      ? {
          fields: [
            {
              name: `💡 ${t(locale, "chat.insights_title")}`,
              value: clip(insights.join("\n"), DISCORD_LIMITS.fieldValue),
            },
          ],
        }
      : {}),
  };
}

function stepField(
  step: StepView,
  locale: Locale,
): { field: { name: string; value: string }; shortened: boolean } {
  const preview = stepPreview(step, locale, PREVIEW_CHARS);
  const task = oneLine(step.task);
  const status = step.ran ? stateLabel(step.status, locale) : t(locale, "result.not_run");
  const confidence =
    step.ran && step.status === "completed" ? ` · ${confidenceLabel(step.confidence, locale)}` : "";
  const name = clip(
    `${STATE_EMOJI[step.status]} #${step.id} · ${plainLabel(clip(oneLine(step.agent), 60))} · ${status}${confidence}`,
    DISCORD_LIMITS.fieldName,
  );
  const value = [
    fieldText(clip(task, TASK_CHARS), 400),
    preview.text ? `> ${fieldText(preview.text, 600)}` : "",
  ]
    .filter(Boolean)
    .join("\n");
  return { field: { name, value }, shortened: preview.shortened || task.length > TASK_CHARS };
}

function stepEmbeds(view: ResultView, locale: Locale, colour: number, maxFileBytes: number): Draft {
  if (view.steps.length === 0)
    return {
      embeds: [{ description: fieldText(t(locale, "result.no_steps")), color: colour }],
      notes: [],
      files: empty(),
    };
  const overflow = view.steps.length > STEP_FIELDS;
  const shownSteps = overflow ? view.steps.slice(0, STEP_FIELDS - 1) : view.steps;
  const title = `🧩 ${t(locale, "result.steps_title")}`;
  const embeds: DiscordEmbed[] = [];
  let current: DiscordEmbed = { title, color: colour, fields: [] };
  let shortened = false;
  for (const step of shownSteps) {
    const { field, shortened: cut } = stepField(step, locale);
    shortened ||= cut;
    const fields = current.fields ?? [];
    if (
      fields.length >= DISCORD_LIMITS.embedFields ||
      embedLength(current) + field.name.length + field.value.length > STEPS_EMBED_BUDGET
    ) {
      embeds.push(current);
      current = { color: colour, fields: [] };
    }
    (current.fields ?? []).push(field);
  }
  embeds.push(current);
  const notes: string[] = [];
  if (shortened) notes.push(t(locale, "result.shortened_note"));
  if (!overflow) return { embeds, notes, files: empty() };
  notes.push(
    `📎 ${t(locale, "result.overflow_steps", { count: view.steps.length - shownSteps.length, file: FILE_NAMES.steps })}`,
  );
  const files = stepsFile(view, locale, maxFileBytes);
  return { embeds, notes, files };
}

/** The first rows of the steps' tables, one embed each, as code blocks (Discord draws no Markdown tables). */
function previewEmbeds(result: RunResult, locale: Locale, colour: number): Draft {
  const embeds = tablePreviews(result.step_results, locale).map(
    (table): DiscordEmbed => ({
      title: clip(`📋 ${plainLabel(table.caption)}`, DISCORD_LIMITS.embedTitle),
      description: clip(
        `\`\`\`\n${neutralizeMentions(table.lines.join("\n"))}\n\`\`\``,
        DISCORD_LIMITS.embedDescription,
      ),
      color: colour,
    }),
  );
  return { embeds, notes: [], files: empty() };
}

function graphEmbed(view: ResultView, locale: Locale, colour: number, hasPicture: boolean): DiscordEmbed {
  const caption = t(locale, "result.graph_caption", { count: view.steps.length, file: FILE_NAMES.graphJson });
  return {
    title: `📈 ${t(locale, "result.graph_title")}`,
    description:
      textChunks(`${clip(oneLine(view.request), 500)}\n${caption}`, DISCORD_LIMITS.embedDescription)[0] ??
      "-",
    color: colour,
    ...(hasPicture ? { image: { url: `attachment://${FILE_NAMES.graphPng}` } } : {}),
  };
}

function reportEmbed(view: ResultView, locale: Locale, colour: number, withSummary: boolean): DiscordEmbed {
  const description =
    textChunks(
      `${clip(oneLine(view.request), 500)}\n${t(locale, "result.report_caption")}`,
      DISCORD_LIMITS.embedDescription,
    )[0] ?? "-";
  return {
    title: `📄 ${t(locale, "report.title")}`,
    description,
    color: colour,
    ...(withSummary ? { footer: { text: clip(summaryText(view, locale), DISCORD_LIMITS.footerText) } } : {}),
  };
}

function merge(...drafts: Draft[]): Draft {
  return {
    embeds: drafts.flatMap((draft) => draft.embeds),
    notes: drafts.flatMap((draft) => draft.notes),
    files: {
      files: drafts.flatMap((draft) => draft.files.files),
      notes: drafts.flatMap((draft) => draft.files.notes),
    },
  };
}

export async function renderResult(
  result: RunResult,
  locale: Locale,
  options: RenderResultOptions = {},
): Promise<Rendered<DiscordMessage>> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE;
  const view = viewOf(result);
  const colour = hexColour(OUTCOME_COLOUR[view.outcome]);
  const formatFiles = await resultFiles(result, locale, { maxFileBytes, view });
  const hasPicture = formatFiles.files.some((file) => file.filename === FILE_NAMES.graphPng);

  let draft: Draft;
  let content: string | undefined;
  switch (result.format) {
    case "chat":
      draft = merge(
        answerEmbeds(view, locale, colour, maxFileBytes),
        { embeds: [overviewEmbed(view, locale, colour)], notes: [], files: empty() },
        stepEmbeds(view, locale, colour, maxFileBytes),
        previewEmbeds(result, locale, colour),
      );
      break;
    case "all":
      draft = merge(
        answerEmbeds(view, locale, colour, maxFileBytes),
        { embeds: [overviewEmbed(view, locale, colour)], notes: [], files: empty() },
        stepEmbeds(view, locale, colour, maxFileBytes),
        previewEmbeds(result, locale, colour),
        {
          embeds: [reportEmbed(view, locale, colour, false), graphEmbed(view, locale, colour, hasPicture)],
          notes: [],
          files: empty(),
        },
      );
      break;
    case "graph":
      draft = {
        embeds: [
          {
            ...graphEmbed(view, locale, colour, hasPicture),
            footer: { text: clip(summaryText(view, locale), DISCORD_LIMITS.footerText) },
          },
        ],
        notes: [],
        files: empty(),
      };
      break;
    case "report": {
      const embed = reportEmbed(view, locale, colour, true);
      const insights = overviewEmbed(view, locale, colour).fields;
      draft = {
        embeds: [{ ...embed, ...(insights ? { fields: insights } : {}) }],
        notes: [],
        files: empty(),
      };
      break;
    }
    case "json":
      draft = { embeds: [], notes: [], files: empty() };
      content = `📦 ${summaryLine(view, locale)} — ${t(locale, "result.json_caption", { file: FILE_NAMES.json })}`;
      break;
  }
  const files = [...formatFiles.files, ...draft.files.files];
  const notes = [...draft.notes, ...formatFiles.notes, ...draft.files.notes].map((note) => `ℹ️ ${note}`);
  const messages = packDiscord(
    { embeds: draft.embeds, notes, files, ...(content ? { content } : {}) },
    locale,
  );
  withViewRun(messages, options.runUrl, locale);
  const last = messages.at(-1);
  // On the answer's last message, so the buttons close it however many messages it takes.
  if (options.feedbackRunId && last && (last.components?.length ?? 0) < DISCORD_LIMITS.actionRows)
    last.components = [...(last.components ?? []), feedbackRow(options.feedbackRunId, locale)];
  return { messages, files };
}
