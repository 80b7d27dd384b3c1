import { clip } from "../vocabulary/index.js";
import type { TurnRecord } from "./state.js";

/** How many earlier turns a model sees: enough for follow-ups, small enough for a local model. */
export const HISTORY_TURNS = 3;

export function recentHistory(turns: readonly TurnRecord[]): { request: string; answer: string }[] {
  return turns.slice(-HISTORY_TURNS).map((turn) => ({ request: turn.request, answer: turn.answer }));
}

/**
 * Words by which a request points at an earlier turn. "that" and "this" count only as pronouns (at the
 * end, before punctuation, or before a word for a piece of work): "code that reverses a string" is a
 * new request. A request that does not refer back gets no earlier turns in its prompts, because a small
 * model copies whatever it sees there into an unrelated plan.
 */
const REFERS_BACK: readonly RegExp[] = [
  /\b(it|its|them|those|these|they)\b/i,
  /\b(this|that)\s*(?:[.?!,;:]|$)/i,
  /\b(this|that|the same|the previous|the last|the above|your)\s+(answer|result|results|reply|response|code|script|contract|draft|report|list|table|summary|text|plan|step|one|data|numbers|chart|analysis|page|function|clause|version|city|country|place|person|company|name|topic|idea|number|book|product|file|document|year|date)\b/i,
  /\b(above|previous|previously|earlier|again|instead|you (?:said|wrote|found|gave|mentioned)|tell me more|more detail|elaborate|continue|go on)\b/i,
  // "그" / "저" on their own are demonstratives ("그 도시" = that city).
  /(^|\s)(그|저)\s/,
  /(위 내용|위의|위에서|위 결과|그것|그거|그걸|그게|이것|이거|이걸|이게|이전|앞의|앞에서|앞서|방금|아까|계속|더 자세히|자세히 설명|그 결과|그 내용|해당 내용|다시|같은 내용|그 코드|그 계약|이 코드|이 계약|그 표|이 표|그 데이터|이 데이터)/,
];

export function refersBack(request: string): boolean {
  return REFERS_BACK.some((pattern) => pattern.test(request));
}

/** The earlier turns a request's prompts may show: the recent ones if it refers back, else none. */
export function relevantHistory(
  turns: readonly TurnRecord[],
  request: string,
): { request: string; answer: string }[] {
  return refersBack(request) ? recentHistory(turns) : [];
}

export function historyText(turns: readonly TurnRecord[], request: string): string {
  const recent = relevantHistory(turns, request);
  if (recent.length === 0) return "";
  return [
    "Earlier in this conversation:",
    ...recent.map(
      (turn) => `- User: ${clip(turn.request, 300, "")}\n  Answer: ${clip(turn.answer, 400, "")}`,
    ),
  ].join("\n");
}
