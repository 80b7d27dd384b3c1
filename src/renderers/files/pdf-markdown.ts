import type PDFDocument from "pdfkit";
import { printable } from "./font.js";
import { ensureSpace, PDF_INK, PDF_MUTED } from "./pdf-charts.js";

/**
 * Prints the light Markdown that models write (headings, lists, bold, code, links) as formatted PDF
 * text, so a reader sees emphasis rather than asterisks. Anything else prints as plain text.
 */

type Doc = InstanceType<typeof PDFDocument>;

/**
 * Text pdfkit can lay out quickly: drawable characters only, and a zero-width break opportunity every 30
 * characters inside very long unbroken tokens (URLs, hashes, runs of one letter). pdfkit measures a word
 * wider than the line character by character, which turns an 18,000-character token into minutes.
 */
export function pdfSafe(text: string): string {
  return printable(text).replace(/[^\s\u200b]{30}(?=[^\s\u200b])/gu, "$&\u200b");
}

export interface PdfFonts {
  regular: string;
  bold: string;
}

type Block =
  | { kind: "heading"; text: string }
  | { kind: "bullet"; text: string; marker: string }
  | { kind: "code"; text: string }
  | { kind: "paragraph"; text: string };

function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: "paragraph", text: paragraph.join("\n") });
    paragraph = [];
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    if (/^\s*```/.test(line)) {
      flush();
      const code: string[] = [];
      index += 1;
      while (index < lines.length && !/^\s*```/.test(lines[index] as string)) {
        code.push(lines[index] as string);
        index += 1;
      }
      blocks.push({ kind: "code", text: code.join("\n") });
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*)$/.exec(line);
    const bullet = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: "heading", text: heading[1] ?? "" });
    } else if (bullet) {
      flush();
      const marker = /\d/.test(bullet[1] ?? "") ? (bullet[1] ?? "") : "•";
      blocks.push({ kind: "bullet", text: bullet[2] ?? "", marker });
    } else if (line.trim() === "") {
      flush();
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

interface Span {
  text: string;
  bold?: boolean;
  code?: boolean;
  link?: string;
}

const INLINE = /\*\*([^*\n]+)\*\*|__([^_\n]+)__|`([^`\n]+)`|\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;

function spansOf(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) spans.push({ text: text.slice(last, index) });
    if (match[1] !== undefined || match[2] !== undefined)
      spans.push({ text: match[1] ?? match[2] ?? "", bold: true });
    else if (match[3] !== undefined) spans.push({ text: match[3], code: true });
    else spans.push({ text: match[4] ?? "", link: match[5] ?? "" });
    last = index + match[0].length;
  }
  if (last < text.length) spans.push({ text: text.slice(last) });
  return spans.filter((span) => span.text.length > 0);
}

function inline(
  doc: Doc,
  text: string,
  fonts: PdfFonts,
  size: number,
  options: { indent?: number; bold?: boolean } = {},
) {
  const spans = spansOf(pdfSafe(text));
  if (spans.length === 0) return;
  spans.forEach((span, index) => {
    const last = index === spans.length - 1;
    doc
      .font(span.bold || options.bold ? fonts.bold : fonts.regular)
      .fontSize(size)
      .fillColor(span.link ? "#1d5fbf" : span.code ? "#8a3b12" : PDF_INK)
      .text(span.text, {
        continued: !last,
        lineGap: 2.5,
        indent: index === 0 ? (options.indent ?? 0) : 0,
        ...(span.link ? { link: span.link, underline: true } : { link: null, underline: false }),
      });
  });
}

export function drawMarkdown(doc: Doc, markdown: string, fonts: PdfFonts, size = 10.5): void {
  const left = doc.page.margins.left;
  for (const block of blocksOf(markdown)) {
    ensureSpace(doc, size * 2.5);
    doc.x = left;
    switch (block.kind) {
      case "heading":
        doc.moveDown(0.2);
        inline(doc, block.text, fonts, size + 1.5, { bold: true });
        break;
      case "bullet": {
        const y = doc.y;
        doc
          .font(fonts.regular)
          .fontSize(size)
          .fillColor(PDF_MUTED)
          .text(block.marker, left + 6, y, { lineBreak: false });
        // Starting the text at the indent makes wrapped lines align with the item's first word.
        doc.x = left + 22;
        doc.y = y;
        inline(doc, block.text, fonts, size);
        break;
      }
      case "code":
        doc
          .font(fonts.regular)
          .fontSize(size - 1)
          .fillColor("#3e4c59")
          .text(pdfSafe(block.text), { lineGap: 1.5 });
        break;
      case "paragraph":
        inline(doc, block.text, fonts, size);
        break;
    }
    doc.x = left;
    doc.moveDown(0.35);
  }
}
