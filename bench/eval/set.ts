/**
 * The labelled requests of `npm run eval`: half Korean, half English, every agent, multi-step ones
 * with their dependencies, and follow-ups that do and do not refer back to an earlier turn. Written
 * for this project (not taken from the planner's worked examples, which they must not copy).
 */
export interface EvalCase {
  id: string;
  request: string;
  /** The agents a good plan uses, in order. */
  agents: string[];
  /** Each step's dependencies (1-based step numbers); all independent when absent. */
  deps?: number[][];
  /** An earlier turn of the conversation, for follow-ups. */
  history?: { request: string; answer: string }[];
  /** Whether the request refers back to that earlier turn. */
  refersBack?: boolean;
}

const CAPITALS = {
  en: { request: "What is the capital of Australia?", answer: "The capital of Australia is Canberra." },
  ko: { request: "호주의 수도는 어디인가요?", answer: "호주의 수도는 캔버라입니다." },
};
const NDA = {
  en: {
    request: "Draft an NDA between Acme Corp and Beta LLC",
    answer:
      "1. Parties: Acme Corp and Beta LLC. 2. Purpose: evaluation of a partnership. 3. Term: two years.",
  },
  ko: {
    request: "에이콘과 베타 사이의 비밀유지계약서를 작성해 줘",
    answer: "1. 당사자: 에이콘, 베타. 2. 목적: 협력 검토. 3. 기간: 2년.",
  },
};

export const EVAL_SET: EvalCase[] = [
  // English, one agent each
  { id: "en-search-1", request: "Who wrote the novel Pride and Prejudice?", agents: ["search"] },
  { id: "en-search-2", request: "Explain how vaccines train the immune system", agents: ["search"] },
  { id: "en-search-3", request: "What is the capital of Italy?", agents: ["search"] },
  { id: "en-search-4", request: "Research the main causes of inflation in 2022", agents: ["search"] },
  {
    id: "en-web-1",
    request: "Read https://nodejs.org/en/about/releases and list the LTS versions",
    agents: ["web"],
  },
  {
    id: "en-web-2",
    request: "Crawl the website of the city library and tell me its opening hours",
    agents: ["web"],
  },
  { id: "en-web-3", request: "Summarize the page at www.example.com/blog/launch", agents: ["web"] },
  { id: "en-web-4", request: "Scrape the product prices from the shop's homepage", agents: ["web"] },
  { id: "en-contract-1", request: "Draft an NDA between Acme Corp and Beta LLC", agents: ["contract"] },
  {
    id: "en-contract-2",
    request: "Write an employment agreement for a part-time designer",
    agents: ["contract"],
  },
  {
    id: "en-contract-3",
    request: "Review the liability clause in our software license agreement",
    agents: ["contract"],
  },
  {
    id: "en-contract-4",
    request: "Prepare a simple lease contract for a two-room apartment",
    agents: ["contract"],
  },
  { id: "en-code-1", request: "Write Python code that reverses a string", agents: ["code"] },
  { id: "en-code-2", request: "Implement binary search in TypeScript", agents: ["code"] },
  {
    id: "en-code-3",
    request: "Write a bash script that backs up my home folder every night",
    agents: ["code"],
  },
  { id: "en-code-4", request: "Debug this JavaScript function that never returns", agents: ["code"] },
  {
    id: "en-data-1",
    request: "Analyze this sales data and find the best month: Jan 120, Feb 95, Mar 143",
    agents: ["data"],
  },
  {
    id: "en-data-2",
    request: "Compute the median and standard deviation of 3, 7, 7, 9, 15",
    agents: ["data"],
  },
  { id: "en-data-3", request: "Chart the revenue trend from the attached CSV", agents: ["data"] },
  {
    id: "en-data-4",
    request: "What is the correlation between ad spend and revenue in this table?",
    agents: ["data"],
  },
  // English, several steps
  {
    id: "en-multi-1",
    request: "Search for the population of Seoul, Busan and Incheon, then chart them",
    agents: ["search", "data"],
    deps: [[], [1]],
  },
  {
    id: "en-multi-2",
    request: "Read https://example.com/pricing and then draft a service agreement based on it",
    agents: ["web", "contract"],
    deps: [[], [1]],
  },
  {
    id: "en-multi-3",
    request: "Find the latest exchange rates, then write Python code that converts prices with them",
    agents: ["search", "code"],
    deps: [[], [1]],
  },
  {
    id: "en-multi-4",
    request: "Analyse the attached CSV of orders, then draft a supplier contract using the results",
    agents: ["data", "contract"],
    deps: [[], [1]],
  },
  {
    id: "en-multi-5",
    request: "Look up the history of the Eiffel Tower and write a Python script that prints its height",
    agents: ["search", "code"],
    deps: [[], []],
  },
  // English follow-ups
  {
    id: "en-follow-1",
    request: "Make it shorter and add a termination clause",
    agents: ["contract"],
    history: [NDA.en],
    refersBack: true,
  },
  {
    id: "en-follow-2",
    request: "Write Python code that prints that city's name",
    agents: ["code"],
    history: [CAPITALS.en],
    refersBack: true,
  },
  {
    id: "en-follow-3",
    request: "Tell me more about the previous answer",
    agents: ["search"],
    history: [CAPITALS.en],
    refersBack: true,
  },
  {
    id: "en-follow-4",
    request: "Write a Python function that sorts a list of numbers",
    agents: ["code"],
    history: [NDA.en],
    refersBack: false,
  },
  {
    id: "en-follow-5",
    request: "Who painted the Mona Lisa?",
    agents: ["search"],
    history: [NDA.en],
    refersBack: false,
  },
  {
    id: "en-follow-6",
    request: "Draft a consulting agreement for a data analyst",
    agents: ["contract"],
    history: [CAPITALS.en],
    refersBack: false,
  },
  { id: "en-search-5", request: "Why is the sky blue?", agents: ["search"] },

  // Korean, one agent each
  { id: "ko-search-1", request: "소설 토지를 쓴 작가는 누구인가요?", agents: ["search"] },
  { id: "ko-search-2", request: "백신이 면역 체계를 훈련시키는 원리를 설명해 줘", agents: ["search"] },
  { id: "ko-search-3", request: "이탈리아의 수도는 어디인가요?", agents: ["search"] },
  { id: "ko-search-4", request: "2022년 물가 상승의 주요 원인을 조사해 줘", agents: ["search"] },
  {
    id: "ko-web-1",
    request: "https://nodejs.org/en/about/releases 페이지를 읽고 LTS 버전을 정리해 줘",
    agents: ["web"],
  },
  { id: "ko-web-2", request: "시립 도서관 홈페이지를 크롤링해서 운영 시간을 알려줘", agents: ["web"] },
  { id: "ko-web-3", request: "www.example.com/blog/launch 웹페이지 내용을 요약해 줘", agents: ["web"] },
  { id: "ko-web-4", request: "쇼핑몰 사이트에서 상품 가격을 수집해 줘", agents: ["web"] },
  { id: "ko-contract-1", request: "에이콘과 베타 사이의 비밀유지계약서를 작성해 줘", agents: ["contract"] },
  { id: "ko-contract-2", request: "시간제 디자이너를 위한 근로계약서를 써 줘", agents: ["contract"] },
  {
    id: "ko-contract-3",
    request: "소프트웨어 라이선스 계약의 책임 제한 조항을 검토해 줘",
    agents: ["contract"],
  },
  { id: "ko-contract-4", request: "방 두 개짜리 아파트 임대차 계약서를 준비해 줘", agents: ["contract"] },
  { id: "ko-code-1", request: "문자열을 뒤집는 파이썬 코드를 작성해 줘", agents: ["code"] },
  { id: "ko-code-2", request: "타입스크립트로 이진 탐색을 구현해 줘", agents: ["code"] },
  { id: "ko-code-3", request: "매일 밤 홈 폴더를 백업하는 셸 스크립트를 만들어 줘", agents: ["code"] },
  {
    id: "ko-code-4",
    request: "값을 반환하지 않는 자바스크립트 함수의 버그를 찾아서 고쳐 줘",
    agents: ["code"],
  },
  {
    id: "ko-data-1",
    request: "1월 120, 2월 95, 3월 143 매출 데이터를 분석해서 가장 좋은 달을 알려줘",
    agents: ["data"],
  },
  { id: "ko-data-2", request: "3, 7, 7, 9, 15의 중앙값과 표준편차를 계산해 줘", agents: ["data"] },
  { id: "ko-data-3", request: "첨부한 CSV의 매출 추세를 차트로 그려 줘", agents: ["data"] },
  { id: "ko-data-4", request: "이 표에서 광고비와 매출의 상관관계를 분석해 줘", agents: ["data"] },
  // Korean, several steps
  {
    id: "ko-multi-1",
    request: "서울, 부산, 인천의 인구를 검색한 다음 차트로 비교해 줘",
    agents: ["search", "data"],
    deps: [[], [1]],
  },
  {
    id: "ko-multi-2",
    request: "https://example.com/pricing 페이지를 읽고 그 내용을 바탕으로 서비스 계약서를 작성해 줘",
    agents: ["web", "contract"],
    deps: [[], [1]],
  },
  {
    id: "ko-multi-3",
    request: "최신 환율을 찾아보고 그 결과를 이용해 가격을 변환하는 파이썬 코드를 작성해 줘",
    agents: ["search", "code"],
    deps: [[], [1]],
  },
  {
    id: "ko-multi-4",
    request: "첨부한 주문 CSV를 분석한 후에 그 결과를 토대로 공급 계약서를 작성해 줘",
    agents: ["data", "contract"],
    deps: [[], [1]],
  },
  {
    id: "ko-multi-5",
    request: "에펠탑의 역사를 조사하고, 높이를 출력하는 파이썬 스크립트도 작성해 줘",
    agents: ["search", "code"],
    deps: [[], []],
  },
  // Korean follow-ups
  {
    id: "ko-follow-1",
    request: "위 내용을 더 짧게 줄이고 해지 조항을 추가해 줘",
    agents: ["contract"],
    history: [NDA.ko],
    refersBack: true,
  },
  {
    id: "ko-follow-2",
    request: "그 도시 이름을 출력하는 파이썬 코드를 작성해 줘",
    agents: ["code"],
    history: [CAPITALS.ko],
    refersBack: true,
  },
  {
    id: "ko-follow-3",
    request: "이전 답변에 대해 더 자세히 알려줘",
    agents: ["search"],
    history: [CAPITALS.ko],
    refersBack: true,
  },
  {
    id: "ko-follow-4",
    request: "숫자 목록을 정렬하는 파이썬 함수를 작성해 줘",
    agents: ["code"],
    history: [NDA.ko],
    refersBack: false,
  },
  {
    id: "ko-follow-5",
    request: "모나리자를 그린 화가는 누구인가요?",
    agents: ["search"],
    history: [NDA.ko],
    refersBack: false,
  },
  {
    id: "ko-follow-6",
    request: "데이터 분석가를 위한 컨설팅 계약서 초안을 작성해 줘",
    agents: ["contract"],
    history: [CAPITALS.ko],
    refersBack: false,
  },
  { id: "ko-search-5", request: "하늘은 왜 파란색인가요?", agents: ["search"] },
];
