import type { Locale } from "../../vocabulary/index.js";

/**
 * Sentences only the Slack adapter says (command replies, modal labels). Everything about runs and
 * results comes from the renderers and the shared i18n catalog.
 */
const en = {
  "root.request": "<@{user}> asked{format}:\n{request}",
  "root.format": " for *{format}*",
  "root.shortened": "_(shortened here; I am working on the whole request)_",
  "usage.bad_rewind": "Say how many turns to go back, for example `{command} rewind 1`.",
  "usage.empty": "Tell me what to do, for example `{command} report compare our three vendors`.",
  "history.none": "You have no conversation with me in this channel yet.",
  "history.title": "*Your latest conversation here:* {title} ({turns} turn(s), {status})",
  "history.turn": "{index}. {request}",
  "history.pending": "Waiting for a decision on step {step} ({agent}).",
  "history.checkpoints": "{count} checkpoint(s); `{command} rewind <n>` goes back n turns.",
  "rewind.done": "Went back {n} turn(s) in your latest conversation here; it now has {turns} turn(s).",
  "forget.done": "Forgot your latest conversation here ({title}).",
  "forget.none": "There was nothing to forget in this channel.",
  "edit.title": "Edit step",
  "edit.submit": "Run edited step",
  "edit.cancel": "Cancel",
  "edit.label": "Task for step {step} ({agent})",
  "edit.hint": "The step runs with this text instead of the planned one.",
  "edit.empty": "Please write the task the step should run.",
  not_in_channel:
    "I can't post in this channel. Invite me with `/invite @Octo`, or send me a direct message.",
  post_failed: "I could not post the answer here (Slack said: {error}).",
} as const;

type Key = keyof typeof en;

const ko: Record<Key, string> = {
  "root.request": "<@{user}> 님의 요청{format}:\n{request}",
  "root.format": " (*{format}* 형식)",
  "root.shortened": "_(여기에는 줄여서 보여 주지만 요청 전체를 처리합니다)_",
  "usage.bad_rewind": "몇 턴 되돌릴지 알려 주세요. 예: `{command} rewind 1`",
  "usage.empty": "무엇을 할지 알려 주세요. 예: `{command} report 세 공급업체 비교`",
  "history.none": "이 채널에는 아직 저와 나눈 대화가 없습니다.",
  "history.title": "*이 채널의 최근 대화:* {title} ({turns}턴, {status})",
  "history.turn": "{index}. {request}",
  "history.pending": "{step}단계({agent})에 대한 결정을 기다리고 있습니다.",
  "history.checkpoints": "체크포인트 {count}개. `{command} rewind <n>`으로 n턴 되돌릴 수 있습니다.",
  "rewind.done": "이 채널의 최근 대화를 {n}턴 되돌렸습니다. 이제 {turns}턴입니다.",
  "forget.done": "이 채널의 최근 대화({title})를 삭제했습니다.",
  "forget.none": "이 채널에는 삭제할 대화가 없습니다.",
  "edit.title": "단계 수정",
  "edit.submit": "수정한 단계 실행",
  "edit.cancel": "취소",
  "edit.label": "{step}단계 작업 ({agent})",
  "edit.hint": "계획된 작업 대신 이 내용으로 단계를 실행합니다.",
  "edit.empty": "단계가 실행할 작업을 입력해 주세요.",
  not_in_channel:
    "이 채널에는 글을 올릴 수 없습니다. `/invite @Octo`로 초대하거나 다이렉트 메시지를 보내 주세요.",
  post_failed: "답변을 올리지 못했습니다 (Slack 오류: {error}).",
};

const catalogs: Record<Locale, Record<Key, string>> = { en, ko };

export function say(locale: Locale, key: Key, params: Record<string, string | number> = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
