export const LOCALES = ["ko", "en"] as const;
export type Locale = (typeof LOCALES)[number];

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
