import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkSections, KnowledgeBase, markdownSections, queryTerms } from "../../../src/tools/kb/index.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../support/databases.js";

describe("query terms", () => {
  it("strips Korean particles and endings, keeping two-syllable stems whole", () => {
    expect(queryTerms("계약서를 검토해 주세요")).toEqual(["계약서", "검토해"]);
    expect(queryTerms("연차 휴가는 며칠인가요?")).toEqual(["연차", "휴가", "며칠"]);
    // "언제까지" is "언제" (when) + "까지": a question word once its particle is gone.
    expect(queryTerms("휴가 신청은 언제까지 해야 하나요")).toEqual(["휴가", "신청", "해야"]);
    expect(queryTerms("NDA를 검토할 때 무엇을 확인해?")).toEqual(["nda", "검토할", "확인해"]);
  });

  it("drops English function and question words and keeps the subject", () => {
    expect(queryTerms("How many vacation days do I get?")).toEqual(["vacation", "days"]);
    expect(queryTerms("search: Who may approve a step? https://example.com/x")).toEqual(["approv"]);
    expect(queryTerms("approvals policies formats")).toEqual(["approval", "policy", "format"]);
    expect(queryTerms("what is it?")).toEqual([]);
  });
});

describe("chunking", () => {
  it("keeps chunks within the cap, repeats the end of one at the start of the next, and starts each with its heading", () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i} ${"word ".repeat(30).trim()}.`);
    const chunks = chunkSections(markdownSections(`# Guide\n\n## Long part\n\n${paragraphs.join("\n\n")}`), {
      maxChars: 500,
      overlapChars: 200,
    });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    for (const chunk of chunks) {
      expect(chunk.body.length).toBeLessThanOrEqual(500);
      expect(chunk.body.startsWith("Guide › Long part\n\n")).toBe(true);
    }
    // Each paragraph is whole in some chunk; each chunk opens with the end of the one before.
    for (const paragraph of paragraphs) expect(chunks.some((c) => c.body.includes(paragraph))).toBe(true);
    for (const [index, chunk] of chunks.entries()) {
      if (index === 0) continue;
      const opening = chunk.body.slice("Guide › Long part\n\n".length).split("\n\n")[0] ?? "";
      expect(opening.length).toBeGreaterThan(20);
      expect(chunks[index - 1]?.body.endsWith(opening)).toBe(true);
    }
  });

  it("cuts a paragraph longer than a chunk at sentence ends, with overlap", () => {
    const sentence = "휴가는 팀장이 승인합니다. ";
    const chunks = chunkSections([{ heading: "", text: sentence.repeat(80).trim() }], {
      maxChars: 300,
      overlapChars: 60,
    });
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) {
      expect(chunk.body.length).toBeLessThanOrEqual(300);
      expect(chunk.body.startsWith("휴가는")).toBe(true);
    }
  });
});

describe.each(DATABASE_KINDS)("searching the sample knowledge base on %s", (kind) => {
  let store: TestStore;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    store = await openTestStore(kind);
    kb = new KnowledgeBase(store.knowledge);
    const seeded = await kb.seedIfEmpty();
    expect(seeded?.map((d) => d.source)).toContain("kb/sample/vacation-policy.ko.md");
  });
  afterAll(() => store.destroy());

  it("is seeded once: a knowledge base with documents is left alone", async () => {
    const count = await kb.count();
    expect(await kb.seedIfEmpty()).toBeUndefined();
    expect(await kb.count()).toBe(count);
  });

  it("finds Korean answers through particles: 계약서를, 휴가는, 승인 만료", async () => {
    const review = await kb.search("계약서를 검토해 주세요");
    expect(review.hits[0]?.source).toBe("kb/sample/nda-review-checklist.ko.md");
    const leave = await kb.search("연차 휴가는 며칠인가요?");
    expect(leave.hits[0]).toMatchObject({
      source: "kb/sample/vacation-policy.ko.md",
      heading: "휴가 정책 › 연차 휴가",
    });
    expect(leave.hits[0]?.snippet).toContain("15일의 유급 연차 휴가");
    const expiry = await kb.search("승인 요청의 만료 시간은?");
    expect(expiry.hits[0]).toMatchObject({
      source: "kb/sample/approvals.ko.md",
      heading: "Octostrator 승인 절차 › 만료",
    });
    expect(expiry.hits[0]?.coverage).toBe(1);
  });

  it("finds English answers, word forms included: carry over, approvals", async () => {
    const carry = await kb.search("Can I carry over unused vacation days?");
    expect(carry.hits[0]).toMatchObject({
      source: "kb/sample/vacation-policy.md",
      heading: "Vacation policy › Carry-over",
    });
    expect(carry.hits[0]?.snippet).toContain("Up to 5 unused days can be carried over");
    const who = await kb.search("who decides approvals on a step");
    expect(who.hits.slice(0, 3).map((hit) => hit.source)).toContain("kb/sample/approvals.md");
    const formats = await kb.search("which output formats make a PDF report");
    expect(formats.hits[0]).toMatchObject({
      source: "kb/sample/output-formats.md",
      heading: "Output formats › report",
    });
  });

  it("finds nothing for what the knowledge base does not cover", async () => {
    expect((await kb.search("What is the capital of France?")).hits).toEqual([]);
    expect((await kb.search("북극광은 왜 생기나요?")).hits).toEqual([]);
  });

  it("ranks a turn's attachments with the stored pages without storing them", async () => {
    const count = await kb.count();
    const attachments = [
      { name: "team-rota.md", text: "# 당직 순번\n\n12월 당직은 김민수, 1월 당직은 이지은입니다.\n" },
      { name: "notes.txt", text: "Nothing about rotas here." },
    ];
    const found = await kb.search("1월 당직은 누구야?", { attachments });
    expect(found.hits[0]).toMatchObject({ source: "team-rota.md", attached: true, heading: "당직 순번" });
    expect(found.hits[0]?.snippet).toContain("1월 당직은 이지은입니다");
    expect(await kb.count()).toBe(count);
    // The same question without the file: it was never stored.
    expect((await kb.search("1월 당직은 누구야?")).hits.some((hit) => hit.attached)).toBe(false);
  });
});
