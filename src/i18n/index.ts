import type { Locale } from "../supervisor/types.js";
import { en } from "./en.js";
import { ko } from "./ko.js";

export type MessageKey = keyof typeof en;
export type MessageParams = Record<string, string | number>;

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, ko };

/** Looks up a user-facing text; `{name}` placeholders are filled from `params`. */
export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogs[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/g;
const LATIN = /[A-Za-z]/g;

/**
 * The request's language from its script. Exact for Korean vs English and free, where asking a small
 * local model would be slow and sometimes wrong; Hangul wins whenever it is a real share of the letters.
 */
export function detectLocale(text: string): Locale {
  const hangul = text.match(HANGUL)?.length ?? 0;
  if (hangul === 0) return "en";
  const latin = text.match(LATIN)?.length ?? 0;
  return hangul * 3 >= latin ? "ko" : "en";
}
