import { clip, type Locale } from "../../vocabulary/index.js";
import { PDF_INK } from "./pdf-charts.js";
import { openPdf, PDF_FONTS } from "./pdf-document.js";
import { drawMarkdown, pdfSafe } from "./pdf-markdown.js";

/**
 * A document an agent drafted (a contract, say) as PDF: its title, then its Markdown printed as the
 * report prints step results, in the bundled Korean font.
 */
export async function renderDocumentPdf(
  document: { title: string; markdown: string },
  locale: Locale,
  options: { maxChars?: number } = {},
): Promise<Buffer> {
  const pdf = openPdf({ title: document.title, locale });
  const { doc } = pdf;
  doc.font(PDF_FONTS.bold).fontSize(20).fillColor(PDF_INK).text(pdfSafe(document.title));
  doc.moveDown(0.6);
  const max = options.maxChars ?? Number.POSITIVE_INFINITY;
  const text = document.markdown.length > max ? clip(document.markdown, max) : document.markdown;
  drawMarkdown(doc, text, PDF_FONTS);
  return pdf.finish();
}
