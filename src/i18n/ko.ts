import type { en } from "./en.js";

/** Korean user-facing texts; every key of `en` is required. */
export const ko: Record<keyof typeof en, string> = {
  "status.queued": "이 대화에서 진행 중인 작업 뒤에 대기 중입니다.",
  "status.understanding": "요청을 이해하는 중...",
  "status.planning": "작업을 계획하는 중...",
  "status.replanning": "일부 단계가 실패하여 계획을 한 번 수정하는 중...",
  "status.executing": "계획을 실행하는 중...",
  "status.waiting_approval": "승인을 기다리는 중입니다.",
  "status.aggregating": "결과를 종합하는 중...",
  "status.generating": "답변을 작성하는 중...",
  "status.done": "완료되었습니다.",
  "status.resuming": "결정에 따라 작업을 재개하는 중...",

  "error.input_empty": "메시지가 비어 있습니다. 무엇을 도와드릴지 적어 주세요.",
  "error.input_too_long":
    "메시지가 {length}자입니다. 최대 {max}자까지 처리할 수 있습니다. 줄이거나 파일로 첨부해 주세요.",
  "error.format_unknown": '"{format}" 형식은 지원하지 않습니다. 다음 중에서 선택해 주세요: {formats}.',
  "error.command_unknown": '"{command}" 명령은 없습니다. /help 로 목록을 확인해 주세요.',
  "error.checkpoint_not_found":
    '이 대화에는 "{checkpoint}" 체크포인트가 없습니다. /history 로 되돌릴 수 있는 지점을 확인해 주세요.',
  "error.nothing_to_rewind": "이 대화에는 {turns}번의 대화만 있어 그 이상 되돌릴 수 없습니다.",
  "error.approval_unknown": "해당 승인 요청을 찾을 수 없습니다. 삭제된 대화의 요청일 수 있습니다.",
  "error.approval_not_pending": "이미 결정된 요청입니다 ({by}님이 {decision}). 변경된 내용은 없습니다.",
  "error.approval_not_allowed":
    "요청한 사람({requester}) 또는 지정된 승인자만 이 단계를 결정할 수 있습니다. 변경된 내용은 없습니다.",
  "error.approval_expired": "이 승인 요청은 {expires_at}에 만료되어 해당 단계는 실행되지 않았습니다.",
  "error.approval_pending":
    "이 대화는 {step}단계({agent})에 대한 결정을 기다리고 있습니다. 먼저 승인 또는 거절해 주세요. 새 메시지는 시작되지 않았습니다.",
  "error.llm_invalid_output":
    "언어 모델이 수정 요청 후에도 사용할 수 없는 답을 반환했습니다. 변경된 내용은 없으니 다시 시도하거나 표현을 바꿔 주세요.",
  "error.llm_timeout":
    "언어 모델이 제시간에 응답하지 않았습니다. 변경된 내용은 없으니 잠시 후 다시 시도해 주세요.",
  "error.llm_unavailable":
    "지금은 언어 모델에 연결할 수 없습니다 ({detail}). 변경된 내용은 없으니 나중에 다시 시도해 주세요.",
  "error.llm_rate_limited":
    "언어 모델 요청이 많아 제한되었습니다. 변경된 내용은 없으니 1분 후 다시 시도해 주세요.",
  "error.llm_aborted": "작업이 끝나기 전에 중단되었습니다. 변경된 내용은 없습니다.",
  "error.store_locked": "다른 Octostrator 프로세스가 이 데이터 디렉터리를 사용하고 있습니다.",
  "error.store_unavailable":
    "지금은 데이터베이스에 연결할 수 없습니다. 변경된 내용은 없으니 나중에 다시 시도해 주세요.",
  "error.run_failed": "요청을 처리하는 중 문제가 발생했습니다. 변경된 내용은 없으니 다시 시도해 주세요.",
  "error.internal": "예상하지 못한 문제가 발생했습니다. 변경된 내용은 없으니 다시 시도해 주세요.",

  "approval.reason.agent_policy": "{agent} 에이전트의 단계는 항상 승인이 필요합니다.",
  "approval.reason.planner": "계획 단계에서 위험한 작업으로 표시되었습니다.",
  "approval.rejected": "건너뜀: {by}님이 거절했습니다.",
  "approval.expired_rejection": "건너뜀: 승인 요청이 만료되었습니다.",
  "step.skipped_dependency": "{step}단계가 완료되지 않아 건너뛰었습니다.",
  "step.fallback_agent": '계획에 알 수 없는 에이전트 "{agent}"가 지정되어 검색 에이전트가 대신 처리합니다.',
  "step.failed": "{attempts}번 시도 후 실패: {error}",

  "answer.no_steps": "완료된 단계가 없어 드릴 답변이 없습니다.",
  "answer.partial_prefix": "완료된 단계에서 찾은 내용입니다:",

  "chat.summary_title": "실행 요약",
  "chat.total_steps": "총 {count}개 단계 실행",
  "chat.completed_steps": "완료: {count}개",
  "chat.failed_steps": "실패: {count}개",
  "chat.skipped_steps": "건너뜀: {count}개",
  "chat.approvals": "승인: {count}회",
  "chat.execution_time": "소요 시간: {seconds}초",
  "chat.insights_title": "주요 인사이트",

  "graph.group_label": "{agent} 작업",

  "report.title": "분석 보고서",
  "report.generated_at": "생성 일시",
  "report.request": "요청 내용",
  "report.summary": "요약",
  "report.statistics": "실행 통계",
  "report.item": "항목",
  "report.value": "수치",
  "report.percent": "백분율",
  "report.total_steps": "총 실행 단계",
  "report.completed_steps": "완료된 단계",
  "report.failed_steps": "실패한 단계",
  "report.skipped_steps": "건너뛴 단계",
  "report.approvals": "사람의 승인",
  "report.execution_time": "실행 시간",
  "report.chart": "결과 차트",
  "report.pie_title": "실행 결과",
  "report.timeline": "타임라인",
  "report.gantt_title": "작업 타임라인",
  "report.details": "상세 실행 내역",
  "report.step": "{step}단계: {description}",
  "report.agent": "에이전트",
  "report.status": "상태",
  "report.confidence": "신뢰도",
  "report.task": "작업",
  "report.result": "결과",
  "report.error": "오류",
  "report.insights": "주요 인사이트",
  "report.recommendations": "권장 사항",
  "report.no_recommendations": "특별한 권장 사항이 없습니다.",
  "report.conclusion": "결론",
  "report.conclusion_text": "총 {total}개 단계 중 {completed}개가 {seconds}초 만에 완료되었습니다.",
  "report.seconds": "{seconds}초",

  "outcome.completed": "완료",
  "outcome.failed": "실패",
  "outcome.skipped": "건너뜀",
  "outcome.running": "실행 중",
  "outcome.pending": "대기",
  "outcome.waiting": "승인 대기",

  "decision.approve": "승인",
  "decision.reject": "거절",
  "decision.edit": "수정",
};
