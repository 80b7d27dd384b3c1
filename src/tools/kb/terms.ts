/**
 * Search terms from a question, for the knowledge base's trigram search. Korean glues particles and
 * endings to words ("계약서를", "휴가는"), so whole-word matching fails: a Hangul word loses its particle
 * and the stem is matched as a substring. English words are lower-cased and kept whole (word similarity
 * covers "approvals" against "approval"). Function words and question words of both languages are
 * dropped: they match everything and mean nothing.
 */

const ENGLISH_STOPWORDS = new Set(
  (
    "a about above many much may might must after again all also am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further get give had has have having he her here hers " +
    "him his how i if in into is it its itself just know let like me more most my no nor not now of off on once only " +
    "or other our out over own please same she should show so some such tell than that the their them then there " +
    "these they this those through to too under until up very want was we were what when where which while who whom " +
    "why will with would you your yours summarize summary explain find search look lookup research describe list " +
    "step agent task answer question knowledge base kb document documents according say says said"
  ).split(" "),
);

/** Whole Korean words that carry no subject: question words, fillers, request verbs. */
const KOREAN_STOPWORDS = new Set(
  (
    "무엇 무엇인가요 무엇인지 뭐야 뭔가요 뭐예요 뭐 어떻게 어떤 어떻게요 언제 어디 어디서 누구 왜 얼마나 몇 " +
    "알려 알려줘 알려주세요 알려 주세요 설명 설명해 설명해줘 설명해 주세요 찾아 찾아줘 찾아 주세요 검색 검색해 " +
    "검색해줘 조사 조사해 조사해줘 요약 요약해 요약해줘 해줘 해 주세요 주세요 줘 좀 그리고 또 및 그 이 저 것 " +
    "수 있나요 있어요 있습니까 되나요 돼요 하나요 해요 합니다 입니다 인가요 인지 대해 대해서 관해 관해서 관련 " +
    "에 는 은 를 을 가 이 의 내용 문서 자료 지식 베이스 기반 단계 작업"
  ).split(" "),
);

/**
 * Particles and endings, longest first so "에서는" goes before "는". Stripped only when two syllables
 * remain, which keeps "휴가" (not "휴" + the particle "가") and "회의" whole.
 */
const KOREAN_SUFFIXES = [
  "이라는",
  "에서는",
  "으로는",
  "에게는",
  "까지는",
  "부터는",
  "하려면",
  "하는지",
  "인가요",
  "입니까",
  "합니까",
  "되나요",
  "하나요",
  "이에요",
  "나요",
  "가요",
  "까요",
  "세요",
  "에서",
  "에게",
  "한테",
  "으로",
  "까지",
  "부터",
  "처럼",
  "보다",
  "라는",
  "이란",
  "에는",
  "로는",
  "와의",
  "과의",
  "이나",
  "이랑",
  "하고",
  "해서",
  "하면",
  "인지",
  "이야",
  "예요",
  "은",
  "는",
  "이",
  "가",
  "을",
  "를",
  "에",
  "의",
  "와",
  "과",
  "도",
  "로",
  "만",
  "란",
  "나",
  "랑",
  "요",
];

const HANGUL_WORD = /^[\uac00-\ud7a3]+$/;

function koreanStem(word: string): string {
  for (const suffix of KOREAN_SUFFIXES) {
    if (word.length - suffix.length >= 2 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

/**
 * English words without their inflection ("approvals" → "approval", "approved" → "approv", "policies"
 * → "policy"): a Latin term matches at a word start, so the stem finds every form.
 */
function englishStem(word: string): string {
  if (word.length <= 4 || !/^\p{Script=Latin}+$/u.test(word)) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("ss")) return word;
  for (const suffix of ["ing", "ed", "es", "s"])
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  // "approve" → "approv", so it also finds "approval" and "approved".
  return word.length >= 7 && word.endsWith("e") ? word.slice(0, -1) : word;
}

/** At most `max` distinct terms of `text`, in the order they first appear. */
export function queryTerms(text: string, max = 10): string[] {
  const terms: string[] = [];
  const words = text
    .replace(/https?:\/\/\S+/g, " ")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  for (const word of words) {
    let term: string | undefined;
    if (HANGUL_WORD.test(word)) {
      if (KOREAN_STOPWORDS.has(word)) continue;
      const stem = koreanStem(word);
      if (KOREAN_STOPWORDS.has(stem) || stem.length < 2) continue;
      term = stem;
    } else if (/\p{Script=Hangul}/u.test(word)) {
      // Mixed ("nda를", "a4용지"): the Latin or digit part before the Hangul is the subject.
      const head = /^[\p{Script=Latin}\p{N}]+/u.exec(word)?.[0];
      term = head && head.length >= 2 ? head : undefined;
    } else if (/^\p{N}+$/u.test(word)) {
      // Numbers match too much as substrings ("1" is in "15"); only distinctive ones are kept.
      term = word.length >= 3 ? word : undefined;
    } else if (word.length >= 3 || (word.length === 2 && /\p{Script=Han}/u.test(word))) {
      term = ENGLISH_STOPWORDS.has(word) ? undefined : englishStem(word);
    }
    if (term && !terms.includes(term)) terms.push(term);
    if (terms.length >= max) break;
  }
  return terms;
}
