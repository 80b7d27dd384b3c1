import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import {
  type ConversationApi,
  collect,
  type EventStream,
  parseRunEventId,
  type RunEvent,
  type RunEventOf,
  type RunResult,
} from "../../../conversations/index.js";
import type { Logger } from "../../../log.js";
import { type ApiError, apiError, errorOfEvent, type RefusalFields, statusOf } from "./errors.js";
import type { RunOutcomeSchema } from "./schemas.js";
import { approvalJson, eventsUrl, sessionIdOf } from "./views.js";

/** A comment line now and then keeps proxies from closing a quiet stream (a step can take minutes). */
const HEARTBEAT_MS = 15_000;

export interface RunStreams {
  conversations: ConversationApi;
  log: Logger;
  /** How long a request may wait for a run: past it JSON says `running`, a stream ends (resumable). */
  waitMs: number;
}

/** A request the service kept: the run it goes on with, and what it said at once (`queued`). */
export interface Kept {
  runId: string;
  early: RunEvent[];
}

/**
 * Submits through `start` and waits until the service settled it at intake: kept (the run's id), or
 * refused (an ApiError from its error event, naming the field a refusal is about).
 */
export async function keep(
  start: (onRun: (runId: string) => void) => EventStream,
  fields?: RefusalFields,
): Promise<Kept> {
  let runId: string | undefined;
  const early = await collect(
    start((id) => {
      runId = id;
    }),
  );
  const refusal = early.find((event): event is RunEventOf<"error"> => event.type === "error");
  if (!runId) {
    if (refusal) throw errorOfEvent(refusal, fields);
    throw apiError(500, "internal", "The request was neither kept nor refused.");
  }
  return { runId, early };
}

/** The run and seq a `Last-Event-ID` names, checked to be a run of this session (404 otherwise). */
export async function resumePoint(
  streams: RunStreams,
  threadKey: string,
  lastEventId: string,
): Promise<{ runId: string; after: number }> {
  const point = parseRunEventId(lastEventId);
  if (!point)
    throw apiError(400, "validation_failed", "Last-Event-ID: not an event id of this API", "Last-Event-ID");
  const run = await streams.conversations.run(point.runId);
  if (run?.threadKey !== threadKey)
    throw apiError(404, "not_found", `No run ${JSON.stringify(point.runId)} in this session.`);
  return { runId: point.runId, after: point.seq };
}

/**
 * The run's events as Server-Sent Events from after `after`: `id: {run}:{seq}`, `event:` the type,
 * `data:` the run event as JSON; `preface` (what the service said at once, `queued`) goes first without
 * an id. Ends with `event: end` once the run rests; a dropped stream resumes with `Last-Event-ID`.
 */
export function sseOfRun(
  c: Context,
  streams: RunStreams,
  run: { runId: string; after: number; preface?: readonly RunEvent[] },
): Response {
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream) => {
    const controller = new AbortController();
    stream.onAbort(() => controller.abort());
    const deadline = setTimeout(() => controller.abort(), streams.waitMs);
    const heartbeat = setInterval(() => void stream.write(": keep-alive\n\n"), HEARTBEAT_MS);
    try {
      for (const event of run.preface ?? [])
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
      for await (const logged of streams.conversations.followRun(run.runId, {
        after: run.after,
        signal: controller.signal,
      }))
        await stream.writeSSE({
          id: logged.id,
          event: logged.event.type,
          data: JSON.stringify(logged.event),
        });
      if (!controller.signal.aborted) {
        const rested = await streams.conversations.run(run.runId);
        await stream.writeSSE({
          event: "end",
          data: JSON.stringify({ run_id: run.runId, state: rested?.state ?? "queued" }),
        });
      }
    } catch (error) {
      streams.log.error({ err: error, runId: run.runId }, "API event stream failed");
      await stream.writeSSE({ event: "end", data: JSON.stringify({ run_id: run.runId, error: "internal" }) });
    } finally {
      clearTimeout(deadline);
      clearInterval(heartbeat);
    }
  });
}

type Outcome = z.infer<typeof RunOutcomeSchema>;

/**
 * Follows the run until it rests (or `waitMs` passes) and says how it stands: 200 with the result, 202
 * waiting for a decision (with the approvals) or still running, or the mapped error status with the
 * run's error.
 */
export async function outcomeOf(
  streams: RunStreams,
  threadKey: string,
  run: { runId: string; after: number },
  clientGone?: AbortSignal,
): Promise<{ status: 200 | 202 | ApiError["status"]; body: Outcome }> {
  const { conversations } = streams;
  const sessionId = sessionIdOf(threadKey);
  let result: RunResult | undefined;
  let failure: RunEventOf<"error"> | undefined;
  const timeout = AbortSignal.timeout(streams.waitMs);
  // A client that hangs up stops the wait (not the run, whose events stay in the log).
  const signal = clientGone ? AbortSignal.any([timeout, clientGone]) : timeout;
  for await (const { event } of conversations.followRun(run.runId, { after: run.after, signal })) {
    if (event.type === "result") result = event.result;
    if (event.type === "error") failure = event;
  }
  const rested = await conversations.run(run.runId);
  const base = { session_id: sessionId, run_id: run.runId, events_url: eventsUrl(sessionId, run.runId) };
  const error = failure ? errorOfEvent(failure).body : undefined;
  if (!rested || rested.live || signal.aborted) return { status: 202, body: { ...base, status: "running" } };
  switch (rested.state) {
    case "completed":
      return { status: 200, body: { ...base, status: "completed", ...(result ? { result } : {}) } };
    case "waiting_approval": {
      const approvals = (await conversations.pendingApprovals(threadKey)).map(approvalJson);
      return {
        status: 202,
        body: { ...base, status: "waiting_approval", approvals, ...(error ? { error } : {}) },
      };
    }
    default: {
      const status = failure ? statusOf(failure.kind) : 500;
      return { status, body: { ...base, status: "failed", ...(error ? { error } : {}) } };
    }
  }
}

/** True when the client asked for Server-Sent Events. */
export function wantsEvents(c: Context): boolean {
  return (c.req.header("accept") ?? "").toLowerCase().includes("text/event-stream");
}
