import type { ConversationApi, LoggedRunEvent } from "../../../conversations/index.js";

export type { LoggedRunEvent } from "../../../conversations/index.js";

/**
 * Where the viewer reads a run's events. `snapshot` replays what was logged so far (a page opened after
 * the run ended shows it finished), or says the log does not know the run (its conversation was
 * forgotten); `follow` yields what is logged after `afterSeq`, as it comes, until `signal` aborts:
 * across pauses, since a run waiting for a decision carries on once it is decided.
 */
export interface RunFeed {
  snapshot(runId: string): Promise<{ known: boolean; events: LoggedRunEvent[] }>;
  follow(runId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<LoggedRunEvent>;
}

/** The log's page size (ConversationApi.runEvents caps a page at 500). */
const PAGE = 500;
/** How often a resting run (paused for approval, failed) is checked for a decision or a retry. */
const REST_POLL_MS = 2_000;

/**
 * The durable run event log through the conversation service: every replica sees every run, whichever
 * one runs it. `followRun` ends when a run rests; a page stays open, so a resting run is looked at
 * every `restPollMs` and followed again once it moves.
 */
export function conversationFeed(
  conversations: Pick<ConversationApi, "runEvents" | "followRun" | "run">,
  options: { restPollMs?: number } = {},
): RunFeed {
  const restPollMs = options.restPollMs ?? REST_POLL_MS;
  return {
    async snapshot(runId) {
      // A run is known from the moment its job is kept, before its first event.
      if (!(await conversations.run(runId))) return { known: false, events: [] };
      const events: LoggedRunEvent[] = [];
      for (;;) {
        const page = await conversations.runEvents(runId, { after: events.at(-1)?.seq ?? 0, limit: PAGE });
        events.push(...page);
        if (page.length < PAGE) return { known: true, events };
      }
    },
    async *follow(runId, afterSeq, signal) {
      let after = afterSeq;
      while (!signal.aborted) {
        for await (const logged of conversations.followRun(runId, { after, signal })) {
          after = logged.seq;
          yield logged;
        }
        while (!signal.aborted) {
          await pause(restPollMs, signal);
          const run = await conversations.run(runId);
          if (run && (run.live || run.lastSeq > after)) break;
        }
      }
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
