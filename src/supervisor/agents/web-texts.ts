import type { WebFailure } from "../../tools/web/index.js";
import type { Locale } from "../../vocabulary/index.js";

/** What the web agent says in its own voice, per language (the model's answers are its own). */
export const WEB_TEXTS = {
  en: {
    noUrl:
      "This step names no web address, so there was no page to read and I will not guess what one says. Give the page's full address (https://…) and ask again.",
    noFetcher:
      "This deployment has no web access, so I did not read these pages and cannot say what they contain:",
    noneRead: "I could not read any of the pages, so I cannot say what they contain:",
    partlyRead: "Could not read:",
    sources: "Sources:",
    fetched: "Fetched text (excerpt):",
    modelUnusable: "The model gave no usable answer from the page, so here is the page's text as fetched.",
  },
  ko: {
    noUrl:
      "이 단계에는 웹 주소가 없어서 읽을 페이지가 없었고, 페이지 내용을 추측하지 않겠습니다. 페이지의 전체 주소(https://…)를 알려 주시면 다시 읽겠습니다.",
    noFetcher:
      "이 배포에는 웹 접근이 설정되어 있지 않아 다음 페이지를 읽지 않았으며, 그 내용은 말씀드릴 수 없습니다:",
    noneRead: "페이지를 하나도 읽지 못했으므로 그 내용은 말씀드릴 수 없습니다:",
    partlyRead: "읽지 못한 페이지:",
    sources: "출처:",
    fetched: "가져온 본문 (발췌):",
    modelUnusable: "모델이 페이지에서 쓸 만한 답을 만들지 못해, 가져온 본문을 그대로 보여 드립니다.",
  },
} as const satisfies Record<Locale, Record<string, string>>;

const RANGES_KO: Record<string, string> = {
  loopback: "루프백",
  private: "사설",
  "link-local": "링크 로컬",
  "cloud metadata": "클라우드 메타데이터",
  "carrier-grade NAT": "통신사 NAT(CGNAT)",
  multicast: "멀티캐스트",
  unspecified: "미지정",
  broadcast: "브로드캐스트",
  reserved: "예약",
};

type Params = Record<string, string | number>;

function size(bytes: unknown): string {
  const value = Number(bytes);
  if (!Number.isFinite(value)) return String(bytes);
  return value >= 1024 * 1024
    ? `${Math.round((value / 1024 / 1024) * 10) / 10} MiB`
    : `${Math.round(value / 1024)} KiB`;
}

function seconds(ms: unknown): string {
  return String(Math.round((Number(ms) / 1000) * 10) / 10);
}

const REASONS: Record<Locale, Record<WebFailure, (p: Params) => string>> = {
  en: {
    invalid_url: () => "not a valid web address",
    unsupported_scheme: (p) => `only http and https pages are read (not ${p.scheme})`,
    credentials_in_url: () => "addresses with a user name or password are not fetched",
    refused_address: (p) => `refused: ${p.address} is not a public address (${p.range})`,
    dns_failed: (p) => `the host name ${p.host} could not be resolved`,
    robots_disallowed: (p) =>
      p.status
        ? `the site's robots.txt answered ${p.status}, which asks crawlers to stay away for now`
        : "the site's robots.txt does not allow fetching this page",
    too_many_redirects: (p) => `more than ${p.limit} redirects`,
    http_status: (p) => `the server answered HTTP ${p.status}`,
    content_type: (p) => `not a text page (${p.type})`,
    too_large: (p) => `the page is larger than ${size(p.limit)}`,
    timeout: (p) => `no complete answer within ${seconds(p.ms)} s`,
    network: (p) => `the server could not be reached (${p.detail})`,
    aborted: () => "the step was stopped",
  },
  ko: {
    invalid_url: () => "올바른 웹 주소가 아닙니다",
    unsupported_scheme: (p) => `http와 https 페이지만 읽습니다(${p.scheme} 지원 안 함)`,
    credentials_in_url: () => "사용자 이름이나 비밀번호가 들어 있는 주소는 읽지 않습니다",
    refused_address: (p) =>
      `거부됨: ${p.address}은(는) 공개 주소가 아닙니다(${RANGES_KO[String(p.range)] ?? p.range})`,
    dns_failed: (p) => `호스트 이름 ${p.host}을(를) 찾을 수 없습니다`,
    robots_disallowed: (p) =>
      p.status
        ? `사이트의 robots.txt가 ${p.status}(으)로 응답해 당분간 접근하지 않습니다`
        : "사이트의 robots.txt가 이 페이지의 수집을 허용하지 않습니다",
    too_many_redirects: (p) => `리디렉션이 ${p.limit}번을 넘었습니다`,
    http_status: (p) => `서버가 HTTP ${p.status}(으)로 응답했습니다`,
    content_type: (p) => `텍스트 페이지가 아닙니다(${p.type})`,
    too_large: (p) => `페이지가 ${size(p.limit)}보다 큽니다`,
    timeout: (p) => `${seconds(p.ms)}초 안에 응답을 다 받지 못했습니다`,
    network: (p) => `서버에 연결할 수 없습니다(${p.detail})`,
    aborted: () => "단계가 중단되었습니다",
  },
};

/** Why a page could not be read, in a sentence a person understands. */
export function failureReason(locale: Locale, code: WebFailure, params: Params): string {
  return REASONS[locale][code](params);
}
