import { describe, expect, it } from "vitest";
import {
  CONTRACT_LOCALES,
  contractTemplates,
  extractFields,
  type FieldValue,
  fillTemplate,
  formatValue,
  grounded,
  placeholdersOf,
} from "../../../src/tools/contracts/index.js";

const [nda, service] = contractTemplates();

describe("the contract templates", () => {
  it("has an NDA and a services agreement in English and Korean, each using exactly its declared fields", () => {
    expect(contractTemplates().map((t) => t.kind)).toEqual(["nda", "service"]);
    for (const template of contractTemplates()) {
      const declared = template.fields.map((field) => field.name).sort();
      for (const locale of CONTRACT_LOCALES)
        expect([...placeholdersOf(template.bodies[locale])].sort()).toEqual(declared);
    }
  });

  it("fills every placeholder: values formatted for the language, defaults as assumptions, gaps as visible markers", () => {
    const filled = fillTemplate(nda!, "ko", {
      party_a: { type: "party", text: "주식회사 가나" },
      effective_date: { type: "date", iso: "2026-12-01" },
    });
    expect(filled.markdown).not.toContain("{{");
    expect(filled.markdown).toContain(
      '주식회사 가나(이하 "갑"이라 한다)와 [을(둘째 당사자)](이하 "을"이라 한다)는',
    );
    expect(filled.markdown).toContain("2026년 12월 1일부터 효력이 발생한다");
    expect(filled.markdown).toContain("3년간 존속하며");
    expect(filled.markdown).toContain("대한민국 법에 따라 해석된다");
    expect(filled.assumed.map((a) => [a.field.name, a.shown])).toEqual([
      ["confidentiality_period", "3년"],
      ["governing_law", "대한민국"],
    ]);
    expect(filled.missing.map((field) => field.name)).toEqual(["party_b", "purpose"]);
    // English has no default governing law: it is asked for.
    expect(fillTemplate(nda!, "en", {}).missing.map((field) => field.name)).toEqual([
      "party_a",
      "party_b",
      "effective_date",
      "purpose",
      "governing_law",
    ]);
  });

  it("formats dates, amounts and durations per language", () => {
    const date: FieldValue = { type: "date", iso: "2027-01-15" };
    expect([formatValue(date, "en"), formatValue(date, "ko")]).toEqual([
      "15 January 2027",
      "2027년 1월 15일",
    ]);
    const fee: FieldValue = { type: "money", amount: 5_000_000, currency: "KRW", per: "month" };
    expect([formatValue(fee, "en"), formatValue(fee, "ko")]).toEqual([
      "₩5,000,000 per month",
      "월 금 5,000,000원",
    ]);
    const usd: FieldValue = { type: "money", amount: 12_500.5, currency: "USD" };
    expect(formatValue(usd, "en")).toBe("US$12,500.50");
    const term: FieldValue = { type: "duration", amount: 1, unit: "year" };
    expect([formatValue(term, "en"), formatValue(term, "ko")]).toEqual(["1 year", "1년"]);
  });
});

describe("reading a contract request without a model", () => {
  it.each([
    [
      "Draft an NDA between Acme Corp. and Beta LLC, effective December 1, 2026, to evaluate a joint venture, governed by the laws of England, confidential for five years.",
      {
        party_a: "Acme Corp",
        party_b: "Beta LLC",
        effective_date: "1 December 2026",
        purpose: "evaluate a joint venture",
        confidentiality_period: "5 years",
        governing_law: "England and Wales",
      },
    ],
    [
      "Acme와 Beta 사이의 공동 개발 검토를 위한 비밀유지계약서를 2026년 12월 1일자로 작성해 줘. 비밀유지기간은 2년, 한국법.",
      {
        party_a: "Acme",
        party_b: "Beta",
        effective_date: "2026년 12월 1일",
        purpose: "공동 개발 검토",
        confidentiality_period: "2년",
        governing_law: "대한민국",
      },
    ],
    ["주식회사 가나와 다라 주식회사 간 NDA 작성", { party_a: "주식회사 가나", party_b: "다라 주식회사" }],
    [
      "Please prepare an NDA. Our company is Acme Corp; the other side is Beta LLC.",
      { party_a: "Acme Corp", party_b: "Beta LLC" },
    ],
    [
      "NDA 작성해 줘. 우리 회사는 가나소프트이고 상대방은 다라전자입니다.",
      { party_a: "가나소프트", party_b: "다라전자" },
    ],
    ["We are looking for an NDA with Beta LLC", { party_b: "Beta LLC" }],
  ])("an NDA: %s", (request, expected) => {
    const locale = /[가-힣]/.test(request) ? "ko" : "en";
    const { values } = extractFields(nda!, request);
    const shown = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, formatValue(value as FieldValue, locale)]),
    );
    expect(shown).toEqual(expected);
  });

  it.each([
    [
      "Draft a services agreement: client: Acme Corp, provider: Beta LLC, to build a mobile app, $5,000 per month, starting 2027-01-15, payment within 45 days, for 6 months, Delaware law",
      {
        client: "Acme Corp",
        provider: "Beta LLC",
        effective_date: "15 January 2027",
        services: "build a mobile app",
        fee: "US$5,000 per month",
        payment_days: "45",
        term: "6 months",
        governing_law: "the State of Delaware",
      },
    ],
    [
      "가나소프트와 다라전자 사이의 웹사이트 개발 용역 계약서를 써 줘. 월 500만 원, 2027년 1월 2일 시작, 6개월, 대금은 청구 후 15일 이내 지급",
      {
        client: "가나소프트",
        provider: "다라전자",
        effective_date: "2027년 1월 2일",
        services: "웹사이트 개발",
        fee: "월 금 5,000,000원",
        payment_days: "15",
        term: "6개월",
      },
    ],
  ])("a services agreement: %s", (request, expected) => {
    const locale = /[가-힣]/.test(request) ? "ko" : "en";
    const { values } = extractFields(service!, request);
    const shown = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, formatValue(value as FieldValue, locale)]),
    );
    expect(shown).toEqual(expected);
  });

  it("keeps a model's value only when the request says it", () => {
    const request =
      "Prepare an NDA; our company is Acme Corp and the other side Beta LLC, from 1 December 2026.";
    expect(grounded({ type: "party", text: "Acme Corp" }, "Acme Corp", request)).toBe(true);
    expect(grounded({ type: "party", text: "Gamma Inc" }, "Gamma Inc", request)).toBe(false);
    expect(grounded({ type: "date", iso: "2026-12-01" }, "2026-12-01", request)).toBe(true);
    expect(grounded({ type: "date", iso: "2026-01-01" }, "2026-01-01", "an NDA some time in 2026")).toBe(
      false,
    );
    expect(grounded({ type: "money", amount: 900, currency: "USD" }, "$900", request)).toBe(false);
    expect(grounded({ type: "money", amount: 5000, currency: "USD" }, "5,000 USD", "a fee of $5,000")).toBe(
      true,
    );
  });
});
