import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import PDFDocument from "pdfkit";

const require = createRequire(import.meta.url);
const FONT = require.resolve("@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf");

/** A PDF made by pdfkit: each page's lines as text (Noto Sans KR, so Korean is real text), or only shapes. */
export function pdfBytes(pages: readonly (readonly string[])[] | "no text"): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false, info: { CreationDate: new Date(0) } });
    const parts: Buffer[] = [];
    doc.on("data", (part: Buffer) => parts.push(part));
    doc.on("end", () => resolve(Buffer.concat(parts)));
    doc.on("error", reject);
    if (pages === "no text") {
      // A scanned page as far as text goes: drawn, with no text layer.
      doc.addPage();
      doc.rect(72, 72, 300, 200).fill("#888888");
    } else {
      doc.registerFont("kr", FONT);
      for (const lines of pages) {
        doc.addPage();
        doc.font("kr").fontSize(12);
        for (const line of lines) doc.text(line);
      }
    }
    doc.end();
  });
}

/** One file of every kind the knowledge base reads, plus ones it must refuse, in `dir`. */
export async function writeFixtures(dir: string) {
  const files = {
    markdown: path.join(dir, "expenses.md"),
    text: path.join(dir, "parking.txt"),
    html: path.join(dir, "security.html"),
    pdf: path.join(dir, "travel.pdf"),
    blankPdf: path.join(dir, "scan.pdf"),
    brokenPdf: path.join(dir, "broken.pdf"),
    unsupported: path.join(dir, "notes.docx"),
  };
  await writeFile(
    files.markdown,
    [
      "# Expense policy",
      "",
      "Keep every receipt.",
      "",
      "## Meals",
      "",
      "Client dinners are reimbursed up to 80,000 won per person.",
      "",
      "## 택시",
      "",
      "밤 10시 이후 퇴근할 때는 택시비를 회사가 부담합니다.",
      "",
      "```",
      "# not a heading: code",
      "```",
    ].join("\n"),
  );
  await writeFile(files.text, "Parking\n\nVisitors park on level B2. 주차권은 안내 데스크에서 받습니다.\n");
  await writeFile(
    files.html,
    `<!doctype html><html><head><title>Security basics</title></head><body>
     <nav><a href="/">Home</a> · <a href="/about">About</a></nav>
     <article><h1>Security basics</h1>
       <p>Lock your screen whenever you leave your desk. Passwords are at least 14 characters long.</p>
       <h2>보안 사고 신고</h2><p>보안 사고는 발견 즉시 보안팀에 신고합니다. 노트북 분실도 보안 사고입니다.</p>
     </article><footer>© Example Corp</footer></body></html>`,
  );
  await writeFile(
    files.pdf,
    await pdfBytes([
      ["Travel policy", "Book flights at least 14 days ahead. Economy class for flights under 6 hours."],
      ["출장 정책", "출장 일비는 하루 5만 원입니다."],
    ]),
  );
  await writeFile(files.blankPdf, await pdfBytes("no text"));
  await writeFile(files.brokenPdf, "%PDF-1.4\nthis is not really a PDF\n");
  await writeFile(files.unsupported, "PK\u0003\u0004 not a document we read");
  return files;
}
