/**
 * Typed values of contract fields, read from free text in English or Korean without a model: dates,
 * amounts of money, durations and payment terms. Each reader returns what it found with where it found
 * it, so the caller can take numbers that belong to a date out of the text before looking for amounts.
 */
export type DurationUnit = "year" | "month" | "week" | "day";
export type MoneyPeriod = "month" | "year" | "hour";

export type FieldValue =
  | { type: "party" | "text" | "jurisdiction"; text: string }
  | { type: "date"; iso: string }
  | { type: "duration"; amount: number; unit: DurationUnit }
  | { type: "money"; amount: number; currency: string; per?: MoneyPeriod }
  | { type: "days"; days: number };

interface Found<T> {
  value: T;
  index: number;
  length: number;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";

const DATE_PATTERNS: { pattern: RegExp; parts: (m: RegExpExecArray) => [string, string, string] }[] = [
  { pattern: /(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일/g, parts: (m) => [m[1]!, m[2]!, m[3]!] },
  { pattern: /\b(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\b\.?/g, parts: (m) => [m[1]!, m[2]!, m[3]!] },
  {
    pattern: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, "gi"),
    parts: (m) => [m[3]!, monthNumber(m[1]!), m[2]!],
  },
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})\\b`, "gi"),
    parts: (m) => [m[3]!, monthNumber(m[2]!), m[1]!],
  },
];

function monthNumber(name: string): string {
  return String(MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1);
}

/** A real calendar date as `YYYY-MM-DD`, or undefined (2026-02-30 is not one). */
export function isoDate(year: string, month: string, day: string): string | undefined {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (!(y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

export function findDates(text: string): Found<string>[] {
  const found: Found<string>[] = [];
  for (const { pattern, parts } of DATE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const iso = isoDate(...parts(match as RegExpExecArray));
      if (iso && !found.some((f) => overlaps(f, match.index, match[0].length)))
        found.push({ value: iso, index: match.index, length: match[0].length });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

function overlaps(found: { index: number; length: number }, index: number, length: number): boolean {
  return index < found.index + found.length && found.index < index + length;
}

/** The text with the found spans blanked out (same length, so later indexes still match). */
export function without(text: string, spans: readonly { index: number; length: number }[]): string {
  let out = text;
  for (const span of spans)
    out = out.slice(0, span.index) + " ".repeat(span.length) + out.slice(span.index + span.length);
  return out;
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  $: "USD",
  US$: "USD",
  "₩": "KRW",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
};
const CURRENCY_WORDS: Record<string, string> = {
  usd: "USD",
  dollar: "USD",
  dollars: "USD",
  달러: "USD",
  krw: "KRW",
  won: "KRW",
  원: "KRW",
  eur: "EUR",
  euro: "EUR",
  euros: "EUR",
  유로: "EUR",
  gbp: "GBP",
  pounds: "GBP",
  jpy: "JPY",
  yen: "JPY",
  엔: "JPY",
};
const KOREAN_UNITS: Record<string, number> = { 천: 1e3, 만: 1e4, 십만: 1e5, 백만: 1e6, 천만: 1e7, 억: 1e8 };
const SCALE_WORDS: Record<string, number> = { thousand: 1e3, k: 1e3, million: 1e6, m: 1e6, billion: 1e9 };
const NUMBER = "(\\d[\\d,]*(?:\\.\\d+)?)";

const MONEY_PATTERNS: {
  pattern: RegExp;
  read: (m: RegExpExecArray) => { amount: number; currency: string };
}[] = [
  {
    pattern: new RegExp(`(US\\$|\\$|₩|€|£|¥)\\s?${NUMBER}(?:\\s?(thousand|million|billion|k|m)\\b)?`, "gi"),
    read: (m) => ({
      amount: amountOf(m[2]!) * (SCALE_WORDS[(m[3] ?? "").toLowerCase()] ?? 1),
      currency: CURRENCY_SYMBOLS[m[1]!.toUpperCase()] ?? "USD",
    }),
  },
  {
    pattern: /\b(USD|KRW|EUR|GBP|JPY)\s?(\d[\d,]*(?:\.\d+)?)/gi,
    read: (m) => ({ amount: amountOf(m[2]!), currency: m[1]!.toUpperCase() }),
  },
  {
    pattern: new RegExp(
      `${NUMBER}\\s?(천만|백만|십만|천|만|억)?\\s?(원|달러|유로|엔|KRW|USD|EUR|GBP|JPY|dollars?|won|euros?|pounds|yen)(?![a-z])`,
      "gi",
    ),
    read: (m) => ({
      amount: amountOf(m[1]!) * (KOREAN_UNITS[m[2] ?? ""] ?? 1),
      currency: CURRENCY_WORDS[m[3]!.toLowerCase()] ?? m[3]!.toUpperCase(),
    }),
  },
];

function amountOf(digits: string): number {
  return Number(digits.replace(/,/g, ""));
}

const PER_MONTH =
  /^\s*(?:\/\s*mo(?:nth)?\b|per month\b|a month\b|monthly\b|each month\b)|(?:매월|월|monthly)\s*$/i;
const PER_YEAR =
  /^\s*(?:\/\s*y(?:ea)?r\b|per year\b|a year\b|annually\b|per annum\b)|(?:매년|연|연간|annual)\s*$/i;
const PER_HOUR = /^\s*(?:\/\s*h(?:ou)?r\b|per hour\b|an hour\b|hourly\b)|(?:시간당|시급)\s*$/i;

export function findMoney(text: string): Found<{ amount: number; currency: string; per?: MoneyPeriod }>[] {
  const found: Found<{ amount: number; currency: string; per?: MoneyPeriod }>[] = [];
  for (const { pattern, read } of MONEY_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (found.some((f) => overlaps(f, match.index, match[0].length))) continue;
      const money = read(match as RegExpExecArray);
      if (!Number.isFinite(money.amount) || money.amount <= 0) continue;
      const around = `${text.slice(Math.max(0, match.index - 6), match.index)}\u0000${text.slice(
        match.index + match[0].length,
        match.index + match[0].length + 14,
      )}`;
      const [before = "", after = ""] = around.split("\u0000");
      const per = [
        ["month", PER_MONTH],
        ["year", PER_YEAR],
        ["hour", PER_HOUR],
      ].find(([, re]) => (re as RegExp).test(after) || (re as RegExp).test(before))?.[0] as
        | MoneyPeriod
        | undefined;
      found.push({
        value: { ...money, ...(per ? { per } : {}) },
        index: match.index,
        length: match[0].length,
      });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

const WORD_NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  eighteen: 18,
  twenty: 20,
  한: 1,
  두: 2,
  세: 3,
  네: 4,
  다섯: 5,
  여섯: 6,
};
const DURATION =
  /(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|한|두|세|네|다섯|여섯)[\s-]*(years?|yrs?|months?|weeks?|년|개월|달|주일|주)(?![a-z])/gi;
const UNITS: Record<string, DurationUnit> = {
  년: "year",
  개월: "month",
  달: "month",
  주: "week",
  주일: "week",
};

export function findDurations(text: string): Found<{ amount: number; unit: DurationUnit }>[] {
  const found: Found<{ amount: number; unit: DurationUnit }>[] = [];
  for (const match of text.matchAll(DURATION)) {
    const amount = /^\d+$/.test(match[1]!) ? Number(match[1]) : WORD_NUMBERS[match[1]!.toLowerCase()];
    const word = match[2]!.toLowerCase();
    const unit = UNITS[word] ?? (word.startsWith("y") ? "year" : word.startsWith("m") ? "month" : "week");
    if (!amount || amount > 100) continue;
    found.push({ value: { amount, unit }, index: match.index, length: match[0].length });
  }
  return found;
}

const PAYMENT_DAYS = [
  /\b(?:within|net)\s*(\d{1,3})\s*(?:calendar\s+|business\s+)?days?\b/i,
  /\b(\d{1,3})\s*days?\s+(?:of|after|from)\s+(?:the\s+|an?\s+)?(?:invoice|receipt)/i,
  /(\d{1,3})\s*일\s*(?:이내|안에|내)/,
];

export function findPaymentDays(text: string): number | undefined {
  for (const pattern of PAYMENT_DAYS) {
    const match = pattern.exec(text);
    if (match) return Number(match[1]);
  }
  return undefined;
}
