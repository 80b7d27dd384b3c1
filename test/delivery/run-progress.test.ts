import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventOf } from "../../src/conversations/events.js";
import { deliverRun, type RunTarget } from "../../src/delivery/index.js";
import { fixtureEvents, fixtureResult } from "../renderers/fixtures.js";
import { FakeStreamSink, fakeDelivery, memoryLedger, type SinkCall, streamOf } from "./fakes.js";

/**
 * Progress on a platform that streams natively (RunProgress): the stream instead of the card, the card
 * when streaming fails, and what the delivery ledger makes of streams across deliveries of one run (a
 * pause for approval, a crash, the process that accepted the request).
 */
const events = fixtureEvents("en");
const base = {
  threadKey: "slack:T1:C1:1.1",
  runId: "run_1",
  locale: "en" as const,
  at: "2025-11-03T09:30:00.000Z",
};
const result = events.find((event) => event.type === "result") as RunEventOf<"result">;
const target: RunTarget = {
  threadKey: base.threadKey,
  user: "U1",
  locale: "en",
  cardAtOnce: true,
  runId: "run_1",
};

const status = (value: RunEventOf<"status">["status"]): RunEvent => ({
  ...base,
  type: "status",
  status: value,
  message: "",
});
const plan: RunEvent = {
  ...base,
  type: "plan",
  steps: fixtureResult("en", "chat").plan.slice(0, 1),
  replan: false,
};
const started: RunEvent = {
  ...base,
  type: "step_started",
  step_id: 1,
  agent: "search",
  task: "find",
  attempt: 1,
};
const finished: RunEvent = {
  ...base,
  type: "step_finished",
  step_id: 1,
  agent: "search",
  status: "completed",
  summary: "found",
  confidence: 0.9,
  ms: 1200,
};
const approval: RunEvent = {
  ...base,
  type: "approval_requested",
  approval: {
    approval_id: "ap_1",
    step: 1,
    agent: "search",
    task: "find",
    reason: "risky",
    requester: "U1",
    expires_at: "2025-11-04T09:30:00.000Z",
  },
};

const ops = (calls: SinkCall[]) => calls.map((call) => `${call.op} ${"id" in call ? call.id : ""}`.trim());

describe("run progress as a native stream", () => {
  it("streams the plan instead of posting a card, answers in the stream, then posts the rest", async () => {
    const ledger = memoryLedger();
    const sink = new FakeStreamSink();
    await deliverRun(fakeDelivery({}, { stream: true, ledger }), sink, streamOf(events), target);

    const [open, ...rest] = sink.streamCalls();
    expect(open).toMatchObject({ op: "open", id: "s1", user: "U1" });
    expect(sink.posts().some((what) => what.startsWith("progress"))).toBe(false);
    const answer = rest.findIndex(
      (call) => call.op === "append" && call.update.markdown?.startsWith("answer"),
    );
    expect(answer).toBeGreaterThanOrEqual(0);
    expect(rest.slice(answer + 1)).toMatchObject([{ op: "stop", id: "s1", closing: "closing" }]);
    // Approval cards are still their own messages; what the stream did not hold follows it.
    expect(sink.posts().filter((what) => what.startsWith("approval "))).toHaveLength(2);
    expect(sink.calls.slice(-2)).toMatchObject([
      { op: "post", what: "more answer" },
      { op: "upload", files: ["answer.md"] },
    ]);
    expect(Object.fromEntries(ledger.items.get("run_1") ?? [])).toMatchObject({
      "stream:1": "s1",
      "stream:1:stopped": "stopped",
      result: "s1",
    });
  });

  it("shows a new plan before the next event, so each task is seen pending first", async () => {
    const sink = new FakeStreamSink();
    await deliverRun(
      fakeDelivery({}, { stream: true, progressIntervalMs: 60_000 }),
      sink,
      streamOf([plan, started]),
      target,
    );
    const shown = sink
      .streamCalls()
      .flatMap((call) => ("update" in call ? (call.update.tasks ?? []) : []))
      .map((task) => task.status);
    expect(shown[0]).toBe("pending");
  });

  it("falls back to the card with everything so far when the platform refuses to stream", async () => {
    const sink = new FakeStreamSink();
    sink.refuseOpen = "missing_scope";
    await deliverRun(fakeDelivery({}, { stream: true }), sink, streamOf(events), target);
    expect(sink.streamCalls()).toEqual([]);
    expect(sink.posts()[0]).toMatch(/^progress/);
    const edits = sink.calls.filter((call) => call.op === "update");
    expect(edits.at(-1)).toMatchObject({ what: expect.stringMatching(/^progress done 3\/5/) });
    expect(sink.posts()).toEqual(expect.arrayContaining([expect.stringMatching(/^answer /), "summary"]));
  });

  it("hands over to the card when a write fails mid-run, and stops the broken stream", async () => {
    const sink = new FakeStreamSink();
    sink.appendsBeforeFailing = 1;
    await deliverRun(fakeDelivery({}, { stream: true }), sink, streamOf(events), target);
    expect(ops(sink.streamCalls())).toEqual(["open s1", "append s1", "stop s1"]);
    expect(sink.posts()[0]).toMatch(/^progress/);
    expect(sink.posts()).toContain("summary");
    const stopAt = sink.calls.findIndex((call) => call.op === "stop");
    const cardAt = sink.calls.findIndex((call) => call.op === "post" && call.what.startsWith("progress"));
    expect(cardAt).toBeGreaterThan(-1);
    expect(stopAt).toBeGreaterThan(-1);
  });

  it("stops the stream when the run waits for a decision; the resumed run streams in the next one", async () => {
    const ledger = memoryLedger();
    const ctx = fakeDelivery({}, { stream: true, ledger });
    const sink = new FakeStreamSink();
    await deliverRun(
      ctx,
      sink,
      streamOf([status("planning"), plan, approval, status("waiting_approval")]),
      target,
    );
    expect(ops(sink.calls)).toEqual(["open s1", "append s1", "post m1", "stop s1"]);

    await deliverRun(ctx, sink, streamOf([started, finished, status("done"), result]), {
      ...target,
      cardAtOnce: false,
    });
    const after = ops(sink.calls.slice(4));
    expect(after[0]).toBe("open s2");
    expect(after).not.toContain("append s1");
    expect(after).toContain("stop s2");
    expect(ledger.items.get("run_1")?.get("stream:2:stopped")).toBe("stopped");
  });

  it("carries on, after a crash, the stream its first delivery left open, and stops it", async () => {
    const ledger = memoryLedger(new Map([["run_1", new Map([["stream:1", "s9"]])]]));
    const sink = new FakeStreamSink();
    await deliverRun(
      fakeDelivery({}, { stream: true, ledger }),
      sink,
      streamOf([started, finished, status("done"), result]),
      {
        ...target,
        cardAtOnce: false,
      },
    );
    const calls = sink.streamCalls();
    expect(calls.some((call) => call.op === "open")).toBe(false);
    expect(calls.every((call) => "id" in call && call.id === "s9")).toBe(true);
    expect(calls.at(-1)).toMatchObject({ op: "stop", id: "s9", closing: "closing" });
  });

  it("never streams an answer again that a delivery before the crash streamed: it only stops that stream", async () => {
    const ledger = memoryLedger(
      new Map([
        [
          "run_1",
          new Map([
            ["stream:1", "s9"],
            ["result", "s9"],
          ]),
        ],
      ]),
    );
    const sink = new FakeStreamSink();
    await deliverRun(fakeDelivery({}, { stream: true, ledger }), sink, streamOf([result]), {
      ...target,
      cardAtOnce: false,
    });
    expect(ops(sink.calls)).toEqual(["stop s9"]);
  });

  it("opens the next stream, once, when the one it carries on has ended meanwhile", async () => {
    const ledger = memoryLedger(new Map([["run_1", new Map([["stream:1", "s9"]])]]));
    const sink = new FakeStreamSink();
    sink.ended.add("s9");
    await deliverRun(
      fakeDelivery({}, { stream: true, ledger }),
      sink,
      streamOf([started, finished, result]),
      {
        ...target,
        cardAtOnce: false,
      },
    );
    expect(ops(sink.streamCalls())).toEqual(expect.arrayContaining(["open s1", "stop s1"]));
    expect(sink.posts().some((what) => what.startsWith("progress"))).toBe(false);
    expect(ledger.items.get("run_1")?.get("stream:1:stopped")).toBe("ended");
    expect(ledger.items.get("run_1")?.get("stream:2")).toBe("s1");
  });

  it("leaves the stream of a request's acceptance open for the run's own delivery, which carries it on", async () => {
    const ledger = memoryLedger();
    const ctx = fakeDelivery({}, { stream: true, ledger });
    const sink = new FakeStreamSink();
    const { runId: _run, ...accepting } = target;
    await deliverRun(ctx, sink, streamOf([status("queued")]), { ...accepting, cardAtOnce: false });
    expect(ops(sink.calls)).toEqual(["open s1"]);
    await deliverRun(ctx, sink, streamOf([plan, started, finished, result]), {
      ...target,
      cardAtOnce: false,
    });
    expect(ops(sink.streamCalls()).filter((op) => op.startsWith("open"))).toEqual(["open s1"]);
    expect(sink.streamCalls().at(-1)).toMatchObject({ op: "stop", id: "s1" });
  });
});
