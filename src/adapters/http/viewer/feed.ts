import type { RunEvent } from "../../../conversations/events.js";

/** One event of a run's log, numbered in the order it was logged (1, 2, 3 ... per run). */
export interface LoggedRunEvent {
  seq: number;
  event: RunEvent;
}

/**
 * Where the viewer reads a run's events: the durable run event log, on whichever replica the run
 * executes. `snapshot` replays what was logged so far (a page opened after the run ended shows it
 * finished); `follow` yields what is logged after `afterSeq`, as it comes, until `signal` aborts.
 */
export interface RunFeed {
  snapshot(runId: string): Promise<LoggedRunEvent[]>;
  follow(runId: string, afterSeq: number, signal: AbortSignal): AsyncIterable<LoggedRunEvent>;
}
