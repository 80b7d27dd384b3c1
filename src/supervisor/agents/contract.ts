import {
  type ContractLocale,
  type ContractTemplate,
  contractTemplates,
  describeValue,
  extractFields,
  type FilledContract,
  fillTemplate,
} from "../../tools/contracts/index.js";
import type { Locale } from "../../vocabulary/index.js";
import { answerWithRetry, retryMessages } from "../answers/retry.js";
import type { Artifact } from "../types.js";
import { modelFacts } from "./contract-facts.js";
import { CONTRACT_ROUTING } from "./contract-routing.js";
import { CONTRACT_TEXTS, fill } from "./contract-texts.js";
import { agentMessages, askForAnswer } from "./llm-agent.js";
import type { AgentContext, AgentDefinition, AgentOutput, AgentStep } from "./types.js";

const REVIEW = /\b(?:review|check|assess|analy[sz]e|look over|comment on)\b|검토|점검|분석/i;
const DRAFT = /\b(?:draft|write|prepare|create|make|generate)\b|작성|초안|만들|써\s*줘|써\s*주/i;
const WANTS_ENGLISH = /\bin english\b|영문|영어/i;
const WANTS_KOREAN = /\bin korean\b|국문|한국어|한글/i;

/** The template whose words come first in the text, or undefined when none is asked for. */
export function chooseTemplate(text: string): ContractTemplate | undefined {
  const lower = text.toLowerCase();
  let best: { template: ContractTemplate; at: number } | undefined;
  for (const template of contractTemplates()) {
    for (const keyword of template.keywords) {
      const at = lower.indexOf(keyword.toLowerCase());
      if (at >= 0 && (!best || at < best.at)) best = { template, at };
    }
  }
  return best?.template;
}

function templateLocale(text: string, locale: Locale): ContractLocale {
  if (WANTS_ENGLISH.test(text) && !WANTS_KOREAN.test(text)) return "en";
  if (WANTS_KOREAN.test(text) && !WANTS_ENGLISH.test(text)) return "ko";
  return locale;
}

/**
 * Drafts a contract from a template kept in the repository (src/tools/contracts/templates): the one
 * the request asks for, in its language, with parties, dates and terms filled from the request (read
 * by patterns, then by the model for what they missed, kept only if the request says it). Missing
 * required details are asked for as questions and left visible in the draft; the draft is a document
 * artifact (Markdown and PDF). Every contract step waits for a person's approval (policy `always`),
 * and the draft says it is a draft. A review needs the contract's text and is the model's reading of it.
 */
async function run(step: AgentStep, ctx: AgentContext): Promise<AgentOutput> {
  const texts = CONTRACT_TEXTS[ctx.locale];
  const text = step.task.trim() === ctx.request.trim() ? step.task : `${step.task}\n${ctx.request}`;
  const template = chooseTemplate(text);
  if (REVIEW.test(step.task) && !DRAFT.test(step.task) && !template) return review(step, ctx);
  if (!template) {
    const templates = contractTemplates()
      .map((t) => t.title[ctx.locale])
      .join(", ");
    return { result: fill(texts.noTemplate, { templates }), confidence: 0, fallback: true };
  }
  const locale = templateLocale(text, ctx.locale);
  const extraction = extractFields(template, text);
  const unfilled = template.fields.filter((field) => !extraction.values[field.name]);
  const fromModel = await modelFacts(step, ctx, template, unfilled, text);
  const filled = fillTemplate(template, locale, { ...fromModel, ...extraction.values });
  return draftOutput(template, locale, filled, ctx.locale, extraction.partiesUnordered);
}

function draftOutput(
  template: ContractTemplate,
  locale: ContractLocale,
  filled: FilledContract,
  replyLocale: Locale,
  partiesUnordered: boolean,
): AgentOutput {
  const texts = CONTRACT_TEXTS[replyLocale];
  const parties = filled.filled.filter((entry) => entry.field.type === "party").map((entry) => entry.shown);
  const name = fileName(template, filled, locale);
  const title = [template.title[locale], parties.join(" / ")].filter(Boolean).join(": ");
  const file = `templates/${template.kind}.${locale}.md`;
  const summary = [
    `**${title}**`,
    "",
    `${fill(texts.draftNote, { template: templateName(template, locale, replyLocale) })} ${fill(texts.attached, { name })}`,
  ];
  if (filled.filled.length > 0)
    summary.push("", texts.given, ...filled.filled.map((e) => listed(e, replyLocale)));
  if (partiesUnordered && !template.symmetricParties) {
    const [first, second] = template.fields.filter((field) => field.type === "party");
    if (first && second && parties.length === 2)
      summary.push(
        "",
        fill(texts.unordered, {
          first: parties[0] as string,
          second: parties[1] as string,
          firstLabel: inSentence(first.label[replyLocale], replyLocale),
          secondLabel: inSentence(second.label[replyLocale], replyLocale),
        }),
      );
  }
  if (filled.assumed.length > 0)
    summary.push("", texts.assumed, ...filled.assumed.map((e) => listed(e, replyLocale)));
  summary.push(
    "",
    ...(filled.missing.length > 0
      ? [texts.missing, ...filled.missing.map((field, i) => `${i + 1}. ${field.question[replyLocale]}`)]
      : [texts.complete]),
  );
  const document: Artifact = { kind: "document", title, name, markdown: withBanner(filled, locale) };
  const required = template.fields.filter((field) => field.required).length;
  const given = required - filled.missing.length;
  return {
    result: [...summary, "", "---", "", filled.markdown].join("\n"),
    confidence: Math.round((0.5 + 0.4 * (given / required)) * 100) / 100,
    sources: [{ title: fill(texts.templateSource, { file: `src/tools/contracts/${file}` }) }],
    artifacts: [document],
  };
}

/** A filled field as the reply lists it, in the reply's language even when the draft is in the other. */
function listed(entry: FilledContract["filled"][number], locale: Locale): string {
  return `- ${entry.field.label[locale]}: ${describeValue(entry.value, locale)}`;
}

/** The template as the reply names it: `상호 비밀유지계약서 (English)` for an English draft of a Korean request. */
function templateName(template: ContractTemplate, locale: ContractLocale, replyLocale: Locale): string {
  if (locale === replyLocale) return template.title[locale];
  return `${template.title[replyLocale]} (${LANGUAGE_NAMES[replyLocale][locale]})`;
}

const LANGUAGE_NAMES: Record<Locale, Record<ContractLocale, string>> = {
  en: { en: "English", ko: "Korean" },
  ko: { en: "영문", ko: "국문" },
};

function inSentence(label: string, locale: Locale): string {
  return locale === "en" ? label.toLowerCase() : label;
}

/** The document says what it is at the top, and what is still to complete. */
function withBanner(filled: FilledContract, locale: ContractLocale): string {
  const texts = CONTRACT_TEXTS[locale];
  const [heading, ...rest] = filled.markdown.split("\n");
  const missing =
    filled.missing.length > 0
      ? [`>`, `> ${texts.documentMissing} ${filled.missing.map((field) => field.label[locale]).join(", ")}`]
      : [];
  return [heading, "", `> ${texts.documentBanner}`, ...missing, ...rest].join("\n");
}

/** `nda-acme-corp-beta-llc-2026-12-01`: the parties' Latin letters and the date, as far as there are any. */
function fileName(template: ContractTemplate, filled: FilledContract, locale: ContractLocale): string {
  const parties = filled.filled
    .filter((entry) => entry.field.type === "party")
    .map((entry) =>
      entry.shown
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
    )
    .filter(Boolean)
    .join("-")
    .slice(0, 48)
    .replace(/-$/, "");
  const date = filled.filled.find((entry) => entry.value.type === "date")?.value;
  return [template.kind, parties || locale, date?.type === "date" ? date.iso : "draft"].join("-");
}

async function review(step: AgentStep, ctx: AgentContext): Promise<AgentOutput> {
  const texts = CONTRACT_TEXTS[ctx.locale];
  if (ctx.attachments.length === 0 && ctx.dependencies.length === 0)
    return { result: texts.reviewNeedsText, confidence: 0, fallback: true };
  const ask = (retry: boolean) =>
    askForAnswer("contract", step, ctx, {
      messages: retry ? retryMessages(step, ctx) : agentMessages(texts.reviewRole, step, ctx),
      retry,
      context: { review: true },
    });
  const output = await answerWithRetry(step, ctx, { first: () => ask(false), retry: () => ask(true) });
  const files = ctx.attachments.map((file) => ({ title: file.name }));
  return files.length > 0 ? { ...output, sources: files } : output;
}

export const contractAgent: AgentDefinition = {
  name: "contract",
  description: {
    en: "contract drafting: drafts NDAs and services agreements from the project's templates, or reviews an attached contract",
    ko: "계약서 작성: 보관된 템플릿으로 비밀유지계약서(NDA)와 용역계약서를 작성하거나 첨부된 계약서를 검토",
  },
  routing: CONTRACT_ROUTING,
  approval: "always",
  run,
};
