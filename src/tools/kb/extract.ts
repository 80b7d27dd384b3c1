import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { htmlToMarkdown } from "../web/index.js";
import { markdownSections, type Section } from "./chunk.js";

/** What the knowledge base reads, by file extension. */
export const KB_KINDS = {
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "text",
  ".text": "text",
  ".html": "html",
  ".htm": "html",
  ".pdf": "pdf",
} as const;
export type KbKind = (typeof KB_KINDS)[keyof typeof KB_KINDS];

/** Larger files are refused: a knowledge-base page is text, and a PDF this size is scans or a book. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export const KB_INGEST_FAILURES = ["missing", "unsupported", "too_large", "no_text", "unreadable"] as const;
export type KbIngestFailure = (typeof KB_INGEST_FAILURES)[number];

/** A file the knowledge base will not take, with a reason a person can act on. */
export class KbIngestError extends Error {
  constructor(
    readonly code: KbIngestFailure,
    readonly file: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KbIngestError";
  }
}

export function isKbIngestError(error: unknown): error is KbIngestError {
  return error instanceof Error && error.name === "KbIngestError" && "code" in error;
}

export function kindOf(file: string): KbKind | undefined {
  return KB_KINDS[path.extname(file).toLowerCase() as keyof typeof KB_KINDS];
}

/** A file's text as sections (Markdown headings, a PDF's pages); refuses what it cannot read. */
export async function readSections(file: string): Promise<{ kind: KbKind; sections: Section[] }> {
  const kind = kindOf(file);
  if (!kind)
    throw new KbIngestError(
      "unsupported",
      file,
      `${file}: not a supported file type (${Object.keys(KB_KINDS).join(", ")})`,
    );
  const info = await stat(file).catch((error: unknown) => {
    throw new KbIngestError("missing", file, `${file}: no such file`, { cause: error });
  });
  if (!info.isFile()) throw new KbIngestError("missing", file, `${file}: not a file`);
  if (info.size > MAX_FILE_BYTES)
    throw new KbIngestError(
      "too_large",
      file,
      `${file}: ${Math.round(info.size / 1024 / 1024)} MiB is over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit`,
    );
  const bytes = await readFile(file);
  const sections = await sectionsOf(kind, bytes, file);
  if (!sections.some((section) => section.text.trim()))
    throw new KbIngestError(
      "no_text",
      file,
      kind === "pdf"
        ? `${file}: the PDF has no text layer (scanned pages?); nothing to search`
        : `${file}: the file has no text`,
    );
  return { kind, sections };
}

/** Sections of a document already in memory (an attachment's text): Markdown and plain text alike. */
export function textSections(text: string): Section[] {
  return markdownSections(text);
}

async function sectionsOf(kind: KbKind, bytes: Buffer, file: string): Promise<Section[]> {
  if (kind === "pdf") return pdfSections(bytes, file);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (kind === "markdown") return markdownSections(text);
  if (kind === "text") return [{ heading: "", text: text.trim() }];
  const page = htmlToMarkdown(text, pathToFileURL(path.resolve(file)).href);
  const titled =
    page.title && !/^#\s/.test(page.markdown) ? `# ${page.title}\n\n${page.markdown}` : page.markdown;
  return markdownSections(titled);
}

/** One section per page with text, named "p. N" so a citation says where to look. */
async function pdfSections(bytes: Buffer, file: string): Promise<Section[]> {
  let pages: string[];
  try {
    // Loaded on first use: pdf.js is large, and most ingestions and every start without PDFs skip it.
    const { extractText, getDocumentProxy } = await import("unpdf");
    // verbosity 0: pdf.js would print its warnings about malformed files to the console.
    const document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    pages = (await extractText(document, { mergePages: false })).text;
    await document.destroy();
  } catch (error) {
    throw new KbIngestError("unreadable", file, `${file}: not a readable PDF (${(error as Error).message})`, {
      cause: error,
    });
  }
  return pages
    .map((text, index) => ({ heading: `p. ${index + 1}`, text: text.replace(/[ \t]+\n/g, "\n").trim() }))
    .filter((page) => page.text.length > 0);
}
