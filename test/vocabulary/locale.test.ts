import { describe, expect, it } from "vitest";
import { detectLocale } from "../../src/vocabulary/index.js";

describe("detectLocale", () => {
  it("reads Korean from Hangul and English from Latin letters", () => {
    expect(detectLocale("분기별 매출 데이터를 분석해 주세요")).toBe("ko");
    expect(detectLocale("analyse the quarterly sales")).toBe("en");
  });

  it("falls back to English when there are no letters to go by", () => {
    expect(detectLocale("")).toBe("en");
    expect(detectLocale("1234 !?")).toBe("en");
  });

  it("counts Hangul as Korean when it is a real share of the letters, even among English words", () => {
    // 7 Hangul syllables against 11 Latin letters: 21 >= 11.
    expect(detectLocale("NDA contract 계약서를 검토해")).toBe("ko");
    // One Hangul syllable in a long English sentence does not make it Korean.
    expect(detectLocale("please review the attached NDA contract for the 서울 office")).toBe("en");
  });

  it("reads compatibility jamo (typed but not composed) as Korean", () => {
    expect(detectLocale("ㅎㅎ ㅇㅋ")).toBe("ko");
  });
});
