import { type MessageKey, t } from "../i18n/index.js";
import { clip, type Locale, oneLine } from "../vocabulary/index.js";
import { formatSeconds } from "./text.js";
import type { ResultView, StepState, StepView } from "./view.js";

/** Pieces of the one summary line (completed / failed / total, time, approvals), icons left to platforms. */
export type SummaryKind = "completed" | "failed" | "skipped" | "time" | "approvals";
export interface SummaryPart {
  kind: SummaryKind;
  text: string;
}

export function summaryParts(view: ResultView, locale: Locale): SummaryPart[] {
  const { total, completed, failed, skipped } = view.counts;
  const parts: SummaryPart[] = [
    { kind: "completed", text: t(locale, "summary.completed", { count: completed, total }) },
    { kind: "failed", text: t(locale, "summary.failed", { count: failed }) },
  ];
  if (skipped > 0) parts.push({ kind: "skipped", text: t(locale, "summary.skipped", { count: skipped }) });
  parts.push({ kind: "time", text: t(locale, "summary.time", { seconds: formatSeconds(view.seconds) }) });
  parts.push({ kind: "approvals", text: t(locale, "summary.approvals", { count: view.approvals }) });
  return parts;
}

export const SUMMARY_EMOJI: Record<SummaryKind, string> = {
  completed: "✅",
  failed: "❌",
  skipped: "⏭️",
  time: "⏱️",
  approvals: "🙋",
};

export function stateLabel(state: StepState, locale: Locale): string {
  return t(locale, `outcome.${state}` as MessageKey);
}

/** What a step produced, on one line: its result, or its error when it failed, or "not run". */
export function stepOutcomeText(step: StepView, locale: Locale): string {
  if (!step.ran) return t(locale, "result.not_run");
  const text = step.status === "failed" && step.error ? step.error : step.result;
  return oneLine(text);
}

/** A preview of the step's outcome no longer than `max`; `shortened` tells whether anything was cut. */
export function stepPreview(
  step: StepView,
  locale: Locale,
  max: number,
): { text: string; shortened: boolean } {
  const full = stepOutcomeText(step, locale);
  const text = clip(full, max);
  return { text, shortened: text !== full };
}

export function confidenceText(confidence: number): string {
  return confidence.toFixed(2);
}

/** The figure with what it means ("confidence 0.90", "신뢰도 0.90"), where no label stands beside it. */
export function confidenceLabel(confidence: number, locale: Locale): string {
  return t(locale, "result.confidence", { value: confidenceText(confidence) });
}
