import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKbIngestError, KnowledgeBase, readSections } from "../../../src/tools/kb/index.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../support/databases.js";
import { writeFixtures } from "./fixtures.js";

let dir: string;
let files: Awaited<ReturnType<typeof writeFixtures>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "octo-kb-"));
  files = await writeFixtures(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isKbIngestError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe("reading files for the knowledge base", () => {
  it("reads Markdown by sections named by their heading path, headings in code left alone", async () => {
    const { kind, sections } = await readSections(files.markdown);
    expect(kind).toBe("markdown");
    expect(sections.map((s) => s.heading)).toEqual([
      "Expense policy",
      "Expense policy › Meals",
      "Expense policy › 택시",
    ]);
    expect(sections[2]?.text).toContain("# not a heading: code");
  });

  it("reads HTML as its article, without navigation or footer", async () => {
    const { sections } = await readSections(files.html);
    const text = sections.map((s) => `${s.heading}\n${s.text}`).join("\n");
    expect(text).toContain("Passwords are at least 14 characters long.");
    expect(text).toContain("보안 사고는 발견 즉시 보안팀에 신고합니다.");
    expect(sections.some((s) => s.heading.endsWith("보안 사고 신고"))).toBe(true);
    expect(text).not.toContain("About");
    expect(text).not.toContain("© Example Corp");
  });

  it("reads a PDF's text page by page, Korean included", async () => {
    const { kind, sections } = await readSections(files.pdf);
    expect(kind).toBe("pdf");
    expect(sections.map((s) => s.heading)).toEqual(["p. 1", "p. 2"]);
    expect(sections[0]?.text).toContain("Book flights at least 14 days ahead.");
    expect(sections[1]?.text).toContain("출장 일비는 하루 5만 원입니다.");
  });

  it("refuses a PDF with no text, a file that is no PDF, an unknown type and a missing file, saying why", async () => {
    const blank = await refusal(readSections(files.blankPdf));
    expect(blank.code).toBe("no_text");
    expect(blank.message).toContain("no text layer");
    expect((await refusal(readSections(files.brokenPdf))).code).toBe("unreadable");
    const unknown = await refusal(readSections(files.unsupported));
    expect(unknown.code).toBe("unsupported");
    expect(unknown.message).toContain(".md, .markdown, .txt");
    expect((await refusal(readSections(path.join(dir, "gone.md")))).code).toBe("missing");
  });
});

describe.each(DATABASE_KINDS)("ingesting into the knowledge base on %s", (kind) => {
  let store: TestStore;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    store = await openTestStore(kind);
    kb = new KnowledgeBase(store.knowledge);
  });
  afterAll(() => store.destroy());

  it("ingests a folder's Markdown, text, HTML and PDF, reporting each file it could not take", async () => {
    const { ingested, failed } = await kb.ingestPaths([dir], { base: dir });
    expect(ingested.map((r) => [r.source, r.kind])).toEqual([
      ["expenses.md", "markdown"],
      ["parking.txt", "text"],
      ["security.html", "html"],
      ["travel.pdf", "pdf"],
    ]);
    // The .docx is not even looked at in a folder; named explicitly it would be refused.
    expect(failed.map((f) => path.basename(f.file)).sort()).toEqual(["broken.pdf", "scan.pdf"]);
    const documents = await kb.documents();
    expect(documents.map((d) => [d.source, d.chunks])).toEqual(ingested.map((r) => [r.source, r.chunks]));
    const found = await kb.search("출장 일비", { limit: 1 });
    expect(found.hits[0]).toMatchObject({ source: "travel.pdf", heading: "p. 2", attached: false });
  });

  it("replaces a file's chunks when it is ingested again, and removes them on request", async () => {
    const before = await kb.count();
    const again = await kb.ingestFile(files.markdown, "expenses.md");
    expect(again.replaced).toBe(again.chunks);
    expect(await kb.count()).toBe(before);
    expect(await kb.remove("expenses.md")).toBe(again.chunks);
    expect(await kb.count()).toBe(before - again.chunks);
    expect((await kb.search("client dinners reimbursed")).hits).toEqual([]);
  });

  it("names what it cannot ingest and goes on with the rest", async () => {
    const { ingested, failed } = await kb.ingestPaths(
      [files.unsupported, path.join(dir, "missing-folder"), files.text],
      { base: dir },
    );
    expect(ingested.map((r) => r.source)).toEqual(["parking.txt"]);
    expect(failed.map((f) => f.reason)).toEqual([
      expect.stringContaining("not a supported file type"),
      expect.stringContaining("no such file or folder"),
    ]);
  });
});
