import type { Locale } from "../../vocabulary/index.js";

/** What the contract agent says around a draft, per language. */
export const CONTRACT_TEXTS = {
  en: {
    draftNote:
      "This is a draft for review, filled from the {template} template: it is not final until you have checked it and both parties have signed it, and it is not legal advice.",
    attached: "Attached as {name}.md and {name}.pdf.",
    given: "From your request:",
    assumed: "Assumed (please confirm or change):",
    missing: "Missing, please tell me:",
    complete: "Every required detail was in your request.",
    unordered:
      "Your request named the parties without saying who is which: I took {first} as the {firstLabel} and {second} as the {secondLabel}. Say so if it is the other way round.",
    documentBanner: "Draft for review: not final until checked and signed by both parties; not legal advice.",
    documentMissing: "Still to complete:",
    noTemplate:
      'I draft from the contract templates kept with Octostrator, and none fits this request. The templates are: {templates}. Ask for one of them (for example, "Draft an NDA between A and B"); for another kind of contract, a lawyer\'s template is the safer start.',
    reviewNeedsText:
      "To review a contract I need its text: attach the contract (or paste the clause) and ask again. I will not comment on a contract I have not read.",
    reviewRole:
      "You are the Contract agent of a multi-agent assistant. Review the contract text given (attached or from earlier steps) for what the task asks: quote the clauses you discuss, name risks and missing points, and end with questions a lawyer should check. Do not comment on text you were not given. You do not give legal advice.",
    templateSource: "Contract template {file}",
  },
  ko: {
    draftNote:
      "{template} 템플릿으로 채운 검토용 초안입니다. 직접 확인하고 양 당사자가 서명하기 전에는 최종본이 아니며, 법률 자문이 아닙니다.",
    attached: "{name}.md와 {name}.pdf로 첨부했습니다.",
    given: "요청에서 채운 내용:",
    assumed: "가정한 내용(확인하거나 바꿔 주세요):",
    missing: "빠진 정보, 알려 주세요:",
    complete: "필수 정보가 요청에 모두 들어 있었습니다.",
    unordered:
      "요청에 당사자가 누구인지만 있고 역할은 없어서, {first}을(를) {firstLabel}, {second}을(를) {secondLabel}(으)로 보았습니다. 반대라면 알려 주세요.",
    documentBanner: "검토용 초안: 확인 및 양 당사자 서명 전에는 최종본이 아니며, 법률 자문이 아닙니다.",
    documentMissing: "채워야 할 항목:",
    noTemplate:
      'Octostrator에 보관된 계약서 템플릿으로만 초안을 작성하는데, 이 요청에 맞는 템플릿이 없습니다. 사용할 수 있는 템플릿: {templates}. 이 중 하나로 요청해 주세요(예: "A와 B 사이의 비밀유지계약서 작성"). 다른 종류의 계약은 변호사의 양식에서 시작하는 편이 안전합니다.',
    reviewNeedsText:
      "계약서를 검토하려면 본문이 필요합니다. 계약서를 첨부하거나 조항을 붙여 넣고 다시 요청해 주세요. 읽지 않은 계약서에 대해서는 의견을 드리지 않습니다.",
    reviewRole:
      "You are the Contract agent of a multi-agent assistant. Review the contract text given (attached or from earlier steps) for what the task asks: quote the clauses you discuss, name risks and missing points, and end with questions a lawyer should check. Do not comment on text you were not given. You do not give legal advice.",
    templateSource: "계약서 템플릿 {file}",
  },
} as const satisfies Record<Locale, Record<string, string>>;

export function fill(text: string, params: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
