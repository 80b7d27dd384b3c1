import { t } from "../../i18n/index.js";
import type { Artifact, StepResult } from "../../supervisor/types.js";
import { clip, errorMessage, type Locale } from "../../vocabulary/index.js";
import { formatBytes } from "../text.js";
import type { RenderedFile } from "../types.js";
import { renderChartPng } from "./chart-png.js";
import { csvText } from "./csv.js";
import { renderDocumentPdf } from "./document-pdf.js";
import { type FileBundle, textFile } from "./split.js";

/**
 * What the steps made besides their text (ArtifactSchema), as files every platform attaches: a document
 * as Markdown and PDF, a table as CSV, a chart as PNG. Each fits the platform's upload limit the way the
 * report does (text split into parts, pictures drawn smaller, a PDF printing less), with a note for each
 * change; an artifact that cannot be drawn becomes a note, never a failed reply.
 */

/** Ever shorter documents until the PDF fits; the Markdown beside it keeps every word. */
const DOCUMENT_PDF_ATTEMPTS = [Number.POSITIVE_INFINITY, 20_000, 4_000];

const MAX_NAME = 80;

/** A file name stem from the artifact's name: letters of any script, digits, `-`, `_` and `.` only. */
export function fileStem(name: string, fallback: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}._-]+/gu, "-")
    .replace(/^[.-]+|[.-]+$/g, "")
    .replace(/-{2,}/g, "-");
  return clip(cleaned, MAX_NAME, "") || fallback;
}

/** Hands out file names, so two artifacts (or an artifact and the report) never share one. */
class FileNames {
  private readonly taken: Set<string>;
  constructor(taken: Iterable<string>) {
    this.taken = new Set([...taken].map((name) => name.toLowerCase()));
  }

  /** One stem for all extensions of an artifact, free for every one of them. */
  stem(wanted: string, extensions: readonly string[]): string {
    for (let index = 1; ; index += 1) {
      const stem = index === 1 ? wanted : `${wanted}-${index}`;
      if (extensions.every((extension) => !this.taken.has(`${stem}.${extension}`.toLowerCase()))) {
        for (const extension of extensions) this.taken.add(`${stem}.${extension}`.toLowerCase());
        return stem;
      }
    }
  }
}

async function documentFiles(
  artifact: Extract<Artifact, { kind: "document" }>,
  stem: string,
  locale: Locale,
  maxBytes: number,
): Promise<FileBundle> {
  const markdownName = `${stem}.md`;
  const pdfName = `${stem}.pdf`;
  const notes: string[] = [];
  const files: RenderedFile[] = [];
  for (const [index, maxChars] of DOCUMENT_PDF_ATTEMPTS.entries()) {
    const pdf = await renderDocumentPdf(artifact, locale, { maxChars });
    if (pdf.length > maxBytes) continue;
    files.push({ filename: pdfName, mimeType: "application/pdf", data: pdf, title: artifact.title });
    if (index > 0)
      notes.push(t(locale, "result.file_shrunk", { file: pdfName, limit: formatBytes(maxBytes) }));
    break;
  }
  if (files.length === 0)
    notes.push(
      t(locale, "result.file_dropped", { file: pdfName, limit: formatBytes(maxBytes), other: markdownName }),
    );
  const markdown = textFile(
    {
      filename: markdownName,
      mimeType: "text/markdown",
      data: Buffer.from(`${artifact.markdown.trimEnd()}\n`, "utf8"),
      title: `${artifact.title} (Markdown)`,
    },
    maxBytes,
    locale,
  );
  return { files: [...files, ...markdown.files], notes: [...notes, ...markdown.notes] };
}

function tableFiles(
  artifact: Extract<Artifact, { kind: "table" }>,
  stem: string,
  locale: Locale,
  maxBytes: number,
): FileBundle {
  return textFile(
    {
      filename: `${stem}.csv`,
      mimeType: "text/csv",
      data: Buffer.from(csvText(artifact.columns, artifact.rows), "utf8"),
      title: artifact.title,
    },
    maxBytes,
    locale,
  );
}

async function chartFiles(
  artifact: Extract<Artifact, { kind: "chart" }>,
  stem: string,
  locale: Locale,
  maxBytes: number,
): Promise<FileBundle> {
  const filename = `${stem}.png`;
  const png = await renderChartPng(artifact.spec, { maxBytes });
  if (png.data.length > maxBytes)
    return {
      files: [],
      notes: [t(locale, "result.file_too_large", { file: filename, limit: formatBytes(maxBytes) })],
    };
  return {
    files: [
      {
        filename,
        mimeType: "image/png",
        data: png.data,
        title: artifact.title,
        altText: clip(artifact.title, 1000),
      },
    ],
    notes: png.shrunk
      ? [t(locale, "result.file_shrunk", { file: filename, limit: formatBytes(maxBytes) })]
      : [],
  };
}

const EXTENSIONS: Record<Artifact["kind"], readonly string[]> = {
  document: ["pdf", "md"],
  table: ["csv"],
  chart: ["png"],
};

/** The artifacts of the steps, in step order, as files; `taken` are names the reply already uses. */
export async function artifactFiles(
  results: readonly StepResult[],
  locale: Locale,
  options: { maxFileBytes?: number; taken?: Iterable<string> } = {},
): Promise<FileBundle> {
  const maxBytes = options.maxFileBytes ?? Number.POSITIVE_INFINITY;
  const names = new FileNames(options.taken ?? []);
  const files: RenderedFile[] = [];
  const notes: string[] = [];
  const ordered = [...results].sort((a, b) => a.step_id - b.step_id);
  for (const step of ordered) {
    for (const artifact of step.artifacts ?? []) {
      const extensions = EXTENSIONS[artifact.kind];
      const stem = names.stem(fileStem(artifact.name, `${artifact.kind}-${step.step_id}`), extensions);
      try {
        const bundle =
          artifact.kind === "document"
            ? await documentFiles(artifact, stem, locale, maxBytes)
            : artifact.kind === "table"
              ? tableFiles(artifact, stem, locale, maxBytes)
              : await chartFiles(artifact, stem, locale, maxBytes);
        files.push(...bundle.files);
        notes.push(...bundle.notes);
      } catch (error) {
        // A spec Vega cannot draw, a file too small a limit to split into: the reply goes out without it.
        notes.push(
          t(locale, "result.artifact_failed", {
            file: `${stem}.${extensions[0]}`,
            reason: clip(errorMessage(error), 300),
          }),
        );
      }
    }
  }
  return { files, notes };
}
