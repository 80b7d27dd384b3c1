import type { FeedbackTally } from "../store/index.js";
import { isOctoError, OctoError } from "../vocabulary/index.js";
import type { ServiceCore } from "./core.js";
import type { FeedbackCounts, RateInput, RatingOutcome } from "./types.js";

/**
 * People's ratings of answers. A rating is a plain write, outside the thread's job queue: it changes
 * nothing the conversation runs on, so it never waits behind a run in flight.
 */
export async function rateRun(core: ServiceCore, runId: string, input: RateInput): Promise<RatingOutcome> {
  try {
    if (!(await core.store.sessions.get(input.threadKey)))
      throw new OctoError("feedback_unavailable", `no conversation in ${input.threadKey}`);
    const { previous } = await core.store.feedback.rate({
      runId,
      threadId: input.threadKey,
      platform: input.platform,
      rater: input.by,
      rating: input.rating,
    });
    core.log.info(
      { threadKey: input.threadKey, runId, by: input.by, rating: input.rating, previous },
      "answer rated",
    );
    return { rating: input.rating, previous };
  } catch (error) {
    if (isOctoError(error)) throw error;
    core.log.error({ err: error, threadKey: input.threadKey, runId }, "could not record a rating");
    throw new OctoError("store_unavailable", "rating not recorded", { cause: error });
  }
}

export const NO_FEEDBACK: FeedbackCounts = Object.freeze({ up: 0, down: 0 });

/** The thread's ratings together, whichever turn (or rewound turn) they were given to. */
export function totalFeedback(tallies: ReadonlyMap<string, FeedbackTally>): FeedbackCounts {
  let up = 0;
  let down = 0;
  for (const tally of tallies.values()) {
    up += tally.up;
    down += tally.down;
  }
  return { up, down };
}
