import PDFDocument from "pdfkit";
import type { Locale } from "../../vocabulary/index.js";
import { fontData, printable } from "./font.js";
import { PDF_MUTED } from "./pdf-charts.js";
import type { PdfFonts } from "./pdf-markdown.js";

/**
 * An A4 PDF with the bundled Korean font registered, collected into a Buffer: what every PDF the
 * renderers make (the report, documents the agents draft) starts from.
 */

export type Doc = InstanceType<typeof PDFDocument>;

export const PDF_FONTS: PdfFonts = { regular: "octo-regular", bold: "octo-bold" };

export interface OpenedPdf {
  doc: Doc;
  /** Resolves with the file once `finish()` ended the document. */
  finish(): Promise<Buffer>;
}

export function openPdf(options: { title: string; locale: Locale; created?: Date }): OpenedPdf {
  const created = options.created;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    bufferPages: true,
    info: {
      Title: printable(options.title),
      Creator: "Octostrator",
      ...(created && !Number.isNaN(created.getTime()) ? { CreationDate: created } : {}),
    },
    lang: options.locale === "ko" ? "ko-KR" : "en-US",
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont(PDF_FONTS.regular, fontData("regular"));
  doc.registerFont(PDF_FONTS.bold, fontData("bold"));
  return {
    doc,
    finish() {
      pageNumbers(doc);
      doc.end();
      return done;
    },
  };
}

function pageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin must not trigger pdfkit's automatic page break.
    doc.page.margins.bottom = 0;
    doc
      .font(PDF_FONTS.regular)
      .fontSize(8)
      .fillColor(PDF_MUTED)
      .text(`${index + 1} / ${range.count}`, 0, doc.page.height - 30, {
        width: doc.page.width,
        align: "center",
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}
