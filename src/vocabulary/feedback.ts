/**
 * A person's rating of an answer, and how a feedback button names the answer it rates: the rating and
 * the run's id, nothing a person wrote. Renderers put it in buttons; the delivery layer reads it back.
 */
export const RATINGS = ["up", "down"] as const;
export type Rating = (typeof RATINGS)[number];

/** Run ids are minted by the conversation service (`run_<uuid>`); nothing else is taken for one. */
const RUN_REF = /^run_[A-Za-z0-9_-]{1,100}$/;

export function feedbackValue(rating: Rating, runId: string): string {
  return `${rating}:${runId}`;
}

export function parseFeedbackValue(value: string): { rating: Rating; runId: string } | undefined {
  const [rating, runId, ...rest] = value.split(":");
  if (rest.length > 0 || !runId || !RUN_REF.test(runId)) return undefined;
  return rating === "up" || rating === "down" ? { rating, runId } : undefined;
}
