import type { ContractLocale } from "./catalog.js";
import type { FieldValue } from "./values.js";

const UNIT_NAMES: Record<ContractLocale, Record<string, [string, string]>> = {
  en: { year: ["year", "years"], month: ["month", "months"], week: ["week", "weeks"], day: ["day", "days"] },
  ko: { year: ["년", "년"], month: ["개월", "개월"], week: ["주", "주"], day: ["일", "일"] },
};

const PERIODS: Record<ContractLocale, Record<string, string>> = {
  en: { month: " per month", year: " per year", hour: " per hour" },
  ko: { month: "월 ", year: "연 ", hour: "시간당 " },
};

/** A field's value as the contract writes it: dates and amounts in the template's language's own form. */
export function formatValue(value: FieldValue, locale: ContractLocale): string {
  switch (value.type) {
    case "party":
    case "text":
    case "jurisdiction":
      return value.text;
    case "date": {
      const date = new Date(`${value.iso}T00:00:00Z`);
      return new Intl.DateTimeFormat(locale === "ko" ? "ko-KR" : "en-GB", {
        dateStyle: "long",
        timeZone: "UTC",
      }).format(date);
    }
    case "duration": {
      const [one, many] = UNIT_NAMES[locale][value.unit] ?? [value.unit, value.unit];
      return locale === "ko" ? `${value.amount}${one}` : `${value.amount} ${value.amount === 1 ? one : many}`;
    }
    case "money":
      return money(value, locale);
    case "days":
      return String(value.days);
  }
}

function money(value: Extract<FieldValue, { type: "money" }>, locale: ContractLocale): string {
  const per = value.per ? PERIODS[locale][value.per] : "";
  if (locale === "ko") {
    const amount =
      value.currency === "KRW"
        ? `금 ${value.amount.toLocaleString("ko-KR")}원`
        : currency(value.amount, value.currency, "ko-KR");
    return `${per}${amount}`;
  }
  return `${currency(value.amount, value.currency, "en-GB")}${per}`;
}

function currency(amount: number, code: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency: code,
      maximumFractionDigits: Number.isInteger(amount) ? 0 : 2,
    }).format(amount);
  } catch {
    return `${code} ${amount.toLocaleString(locale)}`;
  }
}

/** A value as a line of the result lists it: like `formatValue`, with the unit a bare number leaves out. */
export function describeValue(value: FieldValue, locale: ContractLocale): string {
  if (value.type === "days") return locale === "ko" ? `${value.days}일` : `${value.days} days`;
  return formatValue(value, locale);
}
