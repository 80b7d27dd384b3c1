import { primingAnswers } from "../../llm/local/prompt.js";
import type { Locale } from "../../vocabulary/index.js";
import { normalized, similarity } from "../routing/similarity.js";

/**
 * Output a small model produces when it has nothing to say: it must never reach a person as if it
 * were an answer (issue 12: "Draft an NDA ..." answered `10`). Checked on every agent answer and on
 * the final synthesis; what to do about it is the caller's (retry once, then fall back).
 */
export type DegenerateReason =
  | "empty"
  | "one_token"
  | "number"
  | "echo"
  | "repeat"
  | "example"
  | "looping"
  | "wrong_language";

export interface DegenerateContext {
  locale: Locale;
  /** Texts the answer must not merely repeat: the request, the step's task. */
  prompts: readonly string[];
  /** Other steps' answers in the same turn. */
  others?: readonly string[];
  /** Worked examples the model was shown (planner examples, the local model's priming answers). */
  examples?: readonly string[];
}

const HANGUL = /[\uac00-\ud7a3]/;

/** Prose only: code blocks are checked for neither language nor repetition. */
function prose(text: string): string {
  return text.replace(/(```|~~~)[\s\S]*?(\1|$)/g, " ").replace(/`[^`]*`/g, " ");
}

/**
 * The words a reader reads as language: prose without URLs, numbers and file-like names, which a
 * Korean answer writes in Latin letters as often as an English one.
 */
export function languageProse(text: string): string {
  return prose(text)
    .replace(/\b(?:https?|ftp):\/\/\S+|\bwww\.\S+/gi, " ")
    .replace(/\S+\.(?:py|js|ts|json|csv|md|txt|sql|sh|html?)\b/gi, " ")
    .replace(/[-+]?\d+(?:[.,:]\d+)*/g, " ");
}

/** An answer that is code and nothing else: no language to judge, and nothing that says what it is. */
export function codeOnly(answer: string): boolean {
  return /(```|~~~)/.test(answer) && !/[\p{L}\p{N}]/u.test(prose(answer));
}

function letters(text: string): string[] {
  return [...text].filter((char) => /\p{L}/u.test(char));
}

/** The same text give or take a few characters (a copy with punctuation or a word changed). */
export function copyOf(answer: string, source: string): boolean {
  const a = normalized(answer);
  const b = normalized(source);
  if (!a || !b) return false;
  if (a === b) return true;
  return Math.abs(a.length - b.length) <= Math.max(4, b.length * 0.1) && similarity(answer, source) >= 0.9;
}

/** What is left of the answer once every prompt text in it is taken out. */
function beyond(answer: string, prompts: readonly string[]): string {
  let rest = normalized(answer);
  for (const prompt of prompts) {
    const p = normalized(prompt);
    if (p.length >= 4) rest = rest.split(p).join("");
  }
  return rest.replace(/^(request|task|answer|요청|작업|답변)+/, "");
}

export function degenerateReason(answer: string, ctx: DegenerateContext): DegenerateReason | undefined {
  const text = answer.trim();
  const flat = normalized(text);
  if (!flat) return "empty";
  if (/^[\s\p{P}\p{S}]*[-+]?\d+(?:[.,]\d+)*\s*%?[\s\p{P}\p{S}]*$/u.test(text)) return "number";
  if (!/\s/.test(text.replace(/```[\s\S]*```/g, "x y")) && [...flat].length <= 16 && !text.includes("```"))
    return "one_token";
  const prompts = ctx.prompts.filter((p) => p.trim().length > 0);
  const quotes = prompts.some((p) => normalized(p).length >= 4 && flat.includes(normalized(p)));
  if (
    prompts.some((p) => copyOf(text, p) || normalized(p).includes(flat)) ||
    (quotes && beyond(text, prompts).length < 12)
  )
    return "echo";
  if ((ctx.others ?? []).some((other) => copyOf(text, other))) return "repeat";
  const examples = [...(ctx.examples ?? []), ...primingAnswers()];
  if (examples.some((example) => copyOf(text, example) || (example.length > 20 && text.includes(example))))
    return "example";
  if (looping(prose(text))) return "looping";
  if (wrongLanguage(languageProse(text), ctx.locale)) return "wrong_language";
  return undefined;
}

/** The same few words over and over ("10 10 10 10 ...", a line repeated to the token limit). */
function looping(text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length >= 8 && new Set(words).size / words.length < 0.25) return true;
  const lines = text
    .split(/\n+/)
    .map((line) => normalized(line))
    .filter((line) => line.length > 0);
  return lines.length >= 4 && new Set(lines).size / lines.length <= 0.34;
}

/**
 * A Korean turn needs Hangul in its prose: names in Latin letters inside Korean sentences are fine
 * ("Acme와 NDA"), but English words with no Korean at all are an English answer however short
 * (issue 12: a Korean code request answered with code and "Here is the code"). An English turn is
 * wrong when its prose is Korean: Hangul with no English word, or mostly Hangul in a longer text.
 */
function wrongLanguage(text: string, locale: Locale): boolean {
  const all = letters(text);
  const hangul = all.filter((char) => HANGUL.test(char)).length;
  const words = text.match(/\p{L}{2,}/gu) ?? [];
  if (locale === "ko") return hangul === 0 && words.length > 0;
  if (hangul === 0) return false;
  const latinWords = words.filter((word) => /\p{Script=Latin}/u.test(word)).length;
  return latinWords === 0 || (all.length >= 12 && hangul / all.length > 0.3);
}
