import type { AgentRouting } from "./types.js";

/** Words and worked examples that point the planner to the web agent. */
export const WEB_ROUTING: AgentRouting = {
  keywords: {
    en: [
      "url",
      "http",
      "www.",
      "website",
      "web site",
      "web page",
      "webpage",
      "site",
      "crawl",
      "scrape",
      "homepage",
      "link",
      ".com",
      ".org",
      ".io",
      "page",
    ],
    ko: ["웹", "사이트", "홈페이지", "페이지", "링크", "url", "http", "크롤", "스크랩", "접속"],
  },
  examples: {
    en: [
      {
        request: "Read https://example.org/pricing and list the plans",
        steps: [{ task: "Read https://example.org/pricing and list the plans and prices" }],
      },
      {
        request: "Crawl the homepage of a bakery site and extract its opening hours",
        steps: [{ task: "Extract the opening hours from the bakery's homepage" }],
      },
    ],
    ko: [
      {
        request: "https://example.org/pricing 페이지를 읽고 요금제를 정리해 줘",
        steps: [{ task: "https://example.org/pricing 페이지의 요금제와 가격 정리" }],
      },
      {
        request: "빵집 홈페이지를 크롤링해서 영업시간을 알려줘",
        steps: [{ task: "빵집 홈페이지에서 영업시간 추출" }],
      },
    ],
  },
};
