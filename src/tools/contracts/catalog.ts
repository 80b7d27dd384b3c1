import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * The contract templates kept in the repository: one manifest entry per kind of contract (its fields,
 * which are required, the question to ask for each, the words that pick it) and one Markdown file per
 * language (`templates/<kind>.<locale>.md`) whose `{{field}}` placeholders are exactly the manifest's
 * fields. Parsed with zod when first used, and checked against the files, so a template and its
 * manifest cannot drift apart unnoticed.
 */
export const CONTRACT_LOCALES = ["en", "ko"] as const;
export type ContractLocale = (typeof CONTRACT_LOCALES)[number];

export const FIELD_TYPES = ["party", "date", "text", "duration", "money", "days", "jurisdiction"] as const;

const Localized = z.object({ en: z.string().min(1), ko: z.string().min(1) });

const FieldSchema = z.object({
  name: z.string().regex(/^[a-z][a-z_]*$/),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  label: Localized,
  /** Asked in the result when the request does not give the field. */
  question: Localized,
  /** Used when the request does not say, and listed as an assumption (per language: a governing law). */
  default: z.object({ en: z.string().optional(), ko: z.string().optional() }).optional(),
});
export type ContractField = z.infer<typeof FieldSchema>;

const TemplateSchema = z.object({
  kind: z.string().regex(/^[a-z]+$/),
  title: Localized,
  /** Words that pick this template, matched case-insensitively in the request (either language). */
  keywords: z.array(z.string().min(2)).min(1),
  /** The parties have the same duties (a mutual NDA): which one is named first does not matter. */
  symmetricParties: z.boolean().default(false),
  fields: z.array(FieldSchema).min(1),
});
export type ContractTemplate = z.infer<typeof TemplateSchema> & {
  /** The template text per language, placeholders as `{{field}}`. */
  bodies: Record<ContractLocale, string>;
};

const GOVERNING_LAW = {
  name: "governing_law",
  type: "jurisdiction",
  required: true,
  label: { en: "Governing law", ko: "준거법" },
  question: {
    en: "Which country's (or state's) law should govern the agreement?",
    ko: "어느 나라(또는 주)의 법을 준거법으로 할까요?",
  },
  default: { ko: "대한민국" },
} as const;

const MANIFEST: unknown[] = [
  {
    kind: "nda",
    title: { en: "Mutual Non-Disclosure Agreement", ko: "상호 비밀유지계약서" },
    symmetricParties: true,
    keywords: [
      "nda",
      "non-disclosure",
      "nondisclosure",
      "confidentiality agreement",
      "비밀유지",
      "기밀유지",
      "비밀 유지",
    ],
    fields: [
      {
        name: "party_a",
        type: "party",
        required: true,
        label: { en: "First party", ko: "갑(첫째 당사자)" },
        question: {
          en: "What is the full legal name of the first party (usually your company)?",
          ko: "첫째 당사자(보통 귀사)의 정식 상호는 무엇인가요?",
        },
      },
      {
        name: "party_b",
        type: "party",
        required: true,
        label: { en: "Second party", ko: "을(둘째 당사자)" },
        question: {
          en: "What is the full legal name of the other party?",
          ko: "상대방 당사자의 정식 상호는 무엇인가요?",
        },
      },
      {
        name: "effective_date",
        type: "date",
        required: true,
        label: { en: "Effective date", ko: "계약일" },
        question: {
          en: "From which date should the agreement apply?",
          ko: "계약은 언제부터 효력이 있어야 하나요(날짜)?",
        },
      },
      {
        name: "purpose",
        type: "text",
        required: true,
        label: { en: "Purpose", ko: "목적" },
        question: {
          en: "For what purpose will the parties share confidential information (for example, evaluating a partnership)?",
          ko: "어떤 목적으로 비밀정보를 주고받나요(예: 협업 가능성 검토)?",
        },
      },
      {
        name: "confidentiality_period",
        type: "duration",
        required: false,
        label: { en: "Confidentiality period", ko: "비밀유지기간" },
        question: {
          en: "How long should the information stay confidential?",
          ko: "비밀유지의무는 얼마 동안 유지되어야 하나요?",
        },
        default: { en: "3 years", ko: "3 years" },
      },
      GOVERNING_LAW,
    ],
  },
  {
    kind: "service",
    title: { en: "Services Agreement", ko: "용역계약서" },
    keywords: [
      "service agreement",
      "services agreement",
      "service contract",
      "consulting agreement",
      "development agreement",
      "용역",
      "서비스 계약",
      "서비스계약",
      "개발 계약",
      "개발계약",
      "외주",
    ],
    fields: [
      {
        name: "client",
        type: "party",
        required: true,
        label: { en: "Client", ko: "갑(발주자)" },
        question: {
          en: "Who is the client, the party receiving and paying for the services (full legal name)?",
          ko: "용역을 맡기고 대금을 지급하는 발주자(갑)의 정식 상호는 무엇인가요?",
        },
      },
      {
        name: "provider",
        type: "party",
        required: true,
        label: { en: "Provider", ko: "을(수급자)" },
        question: {
          en: "Who is the provider, the party performing the services (full legal name)?",
          ko: "용역을 수행하는 수급자(을)의 정식 상호는 무엇인가요?",
        },
      },
      {
        name: "effective_date",
        type: "date",
        required: true,
        label: { en: "Start date", ko: "계약 시작일" },
        question: { en: "On which date do the services start?", ko: "용역은 언제 시작하나요(날짜)?" },
      },
      {
        name: "services",
        type: "text",
        required: true,
        label: { en: "Services", ko: "용역 내용" },
        question: {
          en: "What services will the provider perform (scope and deliverables)?",
          ko: "수급자가 수행할 용역의 범위와 결과물은 무엇인가요?",
        },
      },
      {
        name: "fee",
        type: "money",
        required: true,
        label: { en: "Fee", ko: "용역대금" },
        question: {
          en: "What is the fee (amount and currency, and whether it is per month or in total)?",
          ko: "용역대금은 얼마인가요(금액, 통화, 월 단위인지 총액인지)?",
        },
      },
      {
        name: "payment_days",
        type: "days",
        required: false,
        label: { en: "Payment term", ko: "지급 기한" },
        question: {
          en: "Within how many days of an invoice must the client pay?",
          ko: "청구서를 받은 뒤 며칠 안에 대금을 지급해야 하나요?",
        },
        default: { en: "30", ko: "30" },
      },
      {
        name: "term",
        type: "duration",
        required: false,
        label: { en: "Term", ko: "계약기간" },
        question: { en: "How long should the agreement run?", ko: "계약기간은 얼마나 되나요?" },
        default: { en: "12 months", ko: "12 months" },
      },
      GOVERNING_LAW,
    ],
  },
];

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

function bodyOf(kind: string, locale: ContractLocale): string {
  return readFileSync(new URL(`./templates/${kind}.${locale}.md`, import.meta.url), "utf8");
}

/** Every `{{name}}` a template text uses. */
export function placeholdersOf(body: string): Set<string> {
  return new Set([...body.matchAll(PLACEHOLDER)].map((match) => match[1] as string));
}

let loaded: ContractTemplate[] | undefined;

/** The templates, read and checked once: a placeholder without a field, or a field no text uses, throws. */
export function contractTemplates(): readonly ContractTemplate[] {
  loaded ??= MANIFEST.map((entry) => {
    const template = TemplateSchema.parse(entry);
    const bodies = Object.fromEntries(
      CONTRACT_LOCALES.map((locale) => [locale, bodyOf(template.kind, locale)]),
    ) as Record<ContractLocale, string>;
    const names = new Set(template.fields.map((field) => field.name));
    for (const locale of CONTRACT_LOCALES) {
      const used = placeholdersOf(bodies[locale]);
      const unknown = [...used].filter((name) => !names.has(name));
      const unused = [...names].filter((name) => !used.has(name));
      if (unknown.length > 0 || unused.length > 0)
        throw new Error(
          `contract template ${template.kind}.${locale}.md: unknown placeholders [${unknown.join(", ")}], unused fields [${unused.join(", ")}]`,
        );
    }
    return { ...template, bodies };
  });
  return loaded;
}
