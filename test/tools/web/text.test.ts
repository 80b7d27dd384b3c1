import { describe, expect, it } from "vitest";
import { excerpt } from "../../../src/tools/web/excerpt.js";
import { htmlToMarkdown } from "../../../src/tools/web/markdown.js";
import { urlsIn } from "../../../src/tools/web/urls.js";
import { KOREAN_ARTICLE } from "./site.js";

describe("HTML to Markdown", () => {
  it("extracts a Korean article with Readability, keeping blocks apart", () => {
    const { title, markdown } = htmlToMarkdown(KOREAN_ARTICLE, "https://law.example/guide/review");
    expect(title).toBe("계약서 검토 가이드 | 예시 법률사무소");
    expect(markdown).toContain("## 대금 지급\n\n용역 대금은 검수 완료 후 30일 이내에");
    expect(markdown).toContain("- 당사자 확인\n- 계약 기간");
    expect(markdown).toContain("[비밀유지계약서 예시](https://law.example/nda)");
    expect(markdown).not.toMatch(/가이드계약서|주소소개|© 2026/);
  });

  it("converts the body when there is no article to find, honouring the page's own <base>", () => {
    const html = `<html><head><title>Hours</title><base href="/shop/"></head><body><nav>menu</nav><p>Open 9-18. <a href="map">Map</a></p></body></html>`;
    const { title, markdown } = htmlToMarkdown(html, "https://bakery.example/about");
    expect(title).toBe("Hours");
    expect(markdown).toBe("Open 9-18. [Map](https://bakery.example/shop/map)");
  });
});

describe("finding URLs in a request", () => {
  it("keeps URLs whole and leaves out what follows them in a sentence", () => {
    expect(
      urlsIn(
        "Read https://example.org/pricing, then (see https://en.wikipedia.org/wiki/Octopus_(genus)) and [docs](https://docs.example/a).",
      ),
    ).toEqual([
      "https://example.org/pricing",
      "https://en.wikipedia.org/wiki/Octopus_(genus)",
      "https://docs.example/a",
    ]);
    expect(
      urlsIn("https://example.org/pricing에서 요금제를, https://ko.wikipedia.org/wiki/계약 도 읽어 줘"),
    ).toEqual(["https://example.org/pricing", "https://ko.wikipedia.org/wiki/%EA%B3%84%EC%95%BD"]);
    expect(urlsIn("www.example.com 과 https://a.example/ 그리고 https://a.example/")).toEqual([
      "https://www.example.com/",
      "https://a.example/",
    ]);
    expect(urlsIn("no address in report.md or example dot com")).toEqual([]);
  });
});

describe("the excerpt for a prompt", () => {
  it("keeps the blocks that share the task's words, in page order, within the budget", () => {
    const page = [
      "# Bakery",
      "We bake bread every morning with local flour.",
      "Opening hours: Monday to Friday 7:00 to 19:00, Saturday 8:00 to 14:00.",
      "Our story began in 1952 when our grandmother opened a small shop.",
      "Contact: hello@bakery.example",
    ].join("\n\n");
    const short = excerpt(page, "What are the opening hours on Saturday?", 90);
    expect(short).toContain("Opening hours: Monday to Friday 7:00 to 19:00, Saturday 8:00 to 14:00.");
    expect(short).not.toContain("grandmother");
    expect(short.length).toBeLessThanOrEqual(90);
    expect(excerpt(page, "anything", 10_000)).toBe(page);
  });
});
