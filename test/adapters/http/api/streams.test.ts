import { afterEach, describe, expect, it } from "vitest";
import type { RunEvent } from "../../../../src/conversations/index.js";
import { heldAgent } from "../../../conversations/support.js";
import { DATABASE_KINDS } from "../../../support/databases.js";
import { checkedEvent } from "../../../support/events.js";
import {
  type ApiHarness,
  allMessages,
  openSession,
  type SseMessage,
  sseMessages,
  startApi,
} from "./harness.js";

const SSE = { accept: "text/event-stream" };

/** The run events of a stream (each checked against the contract), and its closing `end`. */
function split(messages: SseMessage[]) {
  const logged = messages.filter((m) => m.id !== undefined);
  const events = logged.map((m) => checkedEvent(JSON.parse(m.data) as RunEvent));
  const end = messages.at(-1);
  return {
    logged,
    events,
    end: end?.event === "end" ? (JSON.parse(end.data) as { run_id: string; state: string }) : undefined,
  };
}

const indexOf = (events: RunEvent[], test: (event: RunEvent) => boolean) => events.findIndex(test);

describe.each(DATABASE_KINDS)("the HTTP API's event streams, on %s", (kind) => {
  let api: ApiHarness | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("streams a run with an approval in order, with ids from the log, and the decision's run after it", async () => {
    api = await startApi({ kind });
    const session = await openSession(api);
    const response = await api.call("POST", `/sessions/${session}/messages`, {
      body: { text: "search for cats then draft an NDA contract" },
      headers: SSE,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const first = split(await allMessages(response));
    const runId = first.events[0]?.runId as string;
    expect(first.logged.map((m) => m.id)).toEqual(first.logged.map((_, i) => `${runId}:${i + 1}`));
    expect(first.logged.map((m) => m.event)).toEqual(first.events.map((e) => e.type));
    const at = {
      plan: indexOf(first.events, (e) => e.type === "plan"),
      started: indexOf(first.events, (e) => e.type === "step_started"),
      finished: indexOf(first.events, (e) => e.type === "step_finished"),
      asked: indexOf(first.events, (e) => e.type === "approval_requested"),
    };
    expect(at.plan).toBeGreaterThan(0);
    expect(at.started).toBeGreaterThan(at.plan);
    expect(at.finished).toBeGreaterThan(at.started);
    expect(at.asked).toBeGreaterThan(at.plan);
    expect(first.events.at(-1)).toMatchObject({ type: "status", status: "waiting_approval" });
    expect(first.end).toEqual({ run_id: runId, state: "waiting_approval" });
    // What was streamed is the run's log.
    expect((await api.service.runEvents(runId)).map((e) => e.event)).toEqual(first.events);

    const asked = first.events[at.asked] as Extract<RunEvent, { type: "approval_requested" }>;
    const decided = await api.call("POST", `/approvals/${asked.approval.approval_id}`, {
      body: { decision: "approve" },
      headers: SSE,
    });
    const second = split(await allMessages(decided));
    expect(second.logged[0]?.id).toBe(`${runId}:${first.logged.length + 1}`);
    expect(second.events[0]).toMatchObject({ type: "approval_decided", decision: "approve", by: "alice" });
    expect(second.events[1]).toMatchObject({ type: "status", status: "resuming" });
    expect(second.events.some((e) => e.type === "step_started" && e.agent === "contract")).toBe(true);
    expect(second.events.at(-1)?.type).toBe("result");
    expect(second.end).toEqual({ run_id: runId, state: "completed" });
    const ids = [...first.logged, ...second.logged].map((m) => m.id);
    expect(ids).toEqual(ids.map((_, i) => `${runId}:${i + 1}`));
  });

  it("resumes a dropped stream with Last-Event-ID without losing or repeating an event, and sends nothing again", async () => {
    const held = heldAgent();
    api = await startApi({ kind, scripted: held.scripted });
    const session = await openSession(api);
    const body = { text: "search for cats" };
    const dropped = new AbortController();
    const response = await api.call("POST", `/sessions/${session}/messages`, {
      body,
      headers: SSE,
      signal: dropped.signal,
    });
    const before: SseMessage[] = [];
    for await (const message of sseMessages(response)) {
      before.push(message);
      if (message.event === "step_started") break;
    }
    dropped.abort();
    await held.entered;
    held.release();
    const lastId = before.at(-1)?.id as string;
    const resumed = await api.call("POST", `/sessions/${session}/messages`, {
      body,
      headers: { ...SSE, "last-event-id": lastId },
    });
    expect(resumed.status).toBe(200);
    const after = split(await allMessages(resumed));
    const runId = lastId.split(":")[0] as string;
    const streamed = [...before, ...after.logged].map((m) => m.id);
    const log = (await api.service.runEvents(runId)).map((e) => e.id);
    expect(streamed).toEqual(log);
    expect(after.events.at(-1)?.type).toBe("result");
    // The resume sent nothing: one run, one turn.
    expect(await api.service.runs(`http:${session}`)).toHaveLength(1);
    expect((await api.service.session(`http:${session}`))?.turns).toBe(1);

    // A Last-Event-ID naming another session's run, or no event id at all, is refused.
    const other = await openSession(api);
    const foreign = await api.call("POST", `/sessions/${other}/messages`, {
      body,
      headers: { ...SSE, "last-event-id": lastId },
    });
    expect(foreign.status).toBe(404);
    const junk = await api.call("POST", `/sessions/${session}/messages`, {
      body,
      headers: { ...SSE, "last-event-id": "yesterday" },
    });
    expect(junk.status).toBe(400);
    expect(await junk.json()).toMatchObject({ field: "Last-Event-ID" });
  });

  it("lets an EventSource follow a run's events by GET, resume it, and stops it with 204 once all was sent", async () => {
    const held = heldAgent();
    api = await startApi({ kind, scripted: held.scripted });
    const session = await openSession(api);
    const sent = await api.call("POST", `/sessions/${session}/messages`, {
      body: { text: "search for kelp" },
      headers: SSE,
    });
    const reader = sseMessages(sent);
    const firstMessage = (await reader.next()).value as SseMessage;
    const runId = (firstMessage.id ?? "").split(":")[0] as string;
    await held.entered;
    await reader.return(undefined);

    const path = `/sessions/${session}/runs/${runId}/events`;
    const following = api.call("GET", path, {
      headers: { ...SSE, "last-event-id": firstMessage.id as string },
    });
    held.release();
    const rest = split(await allMessages(await following));
    expect([firstMessage.id, ...rest.logged.map((m) => m.id)]).toEqual(
      (await api.service.runEvents(runId)).map((e) => e.id),
    );
    expect(rest.end).toEqual({ run_id: runId, state: "completed" });

    // The EventSource reconnects after the end: nothing is left, so 204 tells it to stop.
    const lastId = rest.logged.at(-1)?.id as string;
    const reconnect = await api.call("GET", path, { headers: { ...SSE, "last-event-id": lastId } });
    expect(reconnect.status).toBe(204);
    const whole = split(await allMessages(await api.call("GET", path, { headers: SSE })));
    expect(whole.logged.map((m) => m.id)).toEqual((await api.service.runEvents(runId)).map((e) => e.id));
  });
});
