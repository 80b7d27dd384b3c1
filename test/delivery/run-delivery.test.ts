import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventOf } from "../../src/conversations/events.js";
import { deliverRun } from "../../src/delivery/index.js";
import { fixtureEvents } from "../renderers/fixtures.js";
import { FakeSink, fakeDelivery, streamOf } from "./fakes.js";

const events = fixtureEvents("en");
const base = {
  threadKey: "slack:T1:C1:1.1",
  runId: "run_1",
  locale: "en" as const,
  at: "2025-11-03T09:30:00.000Z",
};
const refusal = (over: Partial<RunEventOf<"error">> = {}): RunEventOf<"error"> => ({
  ...base,
  type: "error",
  kind: "approval_pending",
  message: "waiting",
  retryable: false,
  ...over,
});

describe("run delivery", () => {
  it("opens the progress card at once, edits it as events come and finishes it before the answer and its files", async () => {
    const ctx = fakeDelivery({}, { progressIntervalMs: 150 });
    const sink = new FakeSink();
    await deliverRun(ctx, sink, streamOf(events), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: true,
    });
    const [first, ...rest] = sink.calls;
    expect(first).toMatchObject({ op: "post", id: "m1", what: "progress running 0/0" });
    const edits = rest.filter((call) => call.op === "update");
    expect(edits.every((call) => call.id === "m1")).toBe(true);
    // The events come faster than the spacing: their edits coalesce into the card's final state.
    expect(edits.length).toBeLessThanOrEqual(2);
    expect(edits.at(-1)?.what).toMatch(/^progress done/);
    const approvals = events.filter((event) => event.type === "approval_requested").length;
    expect(sink.posts().filter((what) => what.startsWith("approval "))).toHaveLength(approvals);
    const tail = sink.calls.slice(-3);
    expect(tail).toMatchObject([
      { op: "post", what: expect.stringMatching(/^answer /) },
      { op: "post", what: "summary" },
      { op: "upload", files: ["answer.md"] },
    ]);
    // The card's final edit comes before the answer.
    const answerAt = sink.calls.findIndex((call) => call.op === "post" && call.what.startsWith("answer"));
    const finalEditAt = sink.calls.findLastIndex((call) => call.op === "update");
    expect(finalEditAt).toBeLessThan(answerAt);
    expect(ctx.userLocales.get("U1")).toBe("en");
  });

  it("opens the card only on the first event when told so (resumes, decisions)", async () => {
    const sink = new FakeSink();
    await deliverRun(fakeDelivery({}), sink, streamOf([]), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: false,
    });
    expect(sink.calls).toEqual([]);
    await deliverRun(fakeDelivery({}), sink, streamOf(events.slice(0, 1)), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: false,
    });
    expect(sink.calls).toMatchObject([{ op: "post", what: expect.stringMatching(/^progress/) }]);
  });

  it("falls back to the plain form of a message the platform refuses, and goes on", async () => {
    const sink = new FakeSink();
    sink.refuseRich = "answer";
    await deliverRun(fakeDelivery({}), sink, streamOf(events), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: true,
    });
    const answer = sink.calls.find((call) => call.op === "post" && call.what.startsWith("answer"));
    expect(answer).toMatchObject({ rich: false });
    expect(sink.posts()).toContain("summary");
  });

  it("skips a message refused even as plain text without stopping the rest", async () => {
    const sink = new FakeSink();
    sink.refuseRich = "answer";
    sink.refusePlain = true;
    await deliverRun(fakeDelivery({}), sink, streamOf(events), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: true,
    });
    expect(sink.posts().some((what) => what.startsWith("answer"))).toBe(false);
    expect(sink.posts()).toContain("summary");
    expect(sink.calls.at(-1)).toMatchObject({ op: "upload" });
  });

  it("says so in the thread when the files cannot be uploaded, with the platform's code", async () => {
    const sink = new FakeSink();
    sink.refuseUpload = true;
    await deliverRun(fakeDelivery({}), sink, streamOf(events), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: true,
    });
    expect(sink.posts().at(-1)).toBe(
      `notice ${JSON.stringify({ kind: "upload_failed", error: "file_too_big" })}`,
    );
  });

  it("tells only the poster about a refusal that changes nothing in a quiet thread, before any card", async () => {
    const sink = new FakeSink();
    const ctx = fakeDelivery({});
    await deliverRun(ctx, sink, streamOf([refusal()]), {
      threadKey: base.threadKey,
      user: "U2",
      locale: "en",
      cardAtOnce: false,
      quiet: true,
    });
    expect(sink.calls).toEqual([{ op: "private", user: "U2", what: "error approval_pending" }]);
  });

  it("posts a failed run's error in the thread with its retry id, after finishing the card", async () => {
    const sink = new FakeSink();
    const failed = refusal({ kind: "run_failed", retryable: true, retry_id: "rt_1" });
    await deliverRun(fakeDelivery({}), sink, streamOf([events[0] as RunEvent, failed]), {
      threadKey: base.threadKey,
      user: "U2",
      locale: "en",
      cardAtOnce: true,
      quiet: true,
    });
    expect(sink.calls.at(-1)).toEqual({
      op: "post",
      id: "m2",
      what: "error run_failed retry rt_1",
      rich: true,
    });
    expect(sink.calls.some((call) => call.op === "update" && call.what.startsWith("progress failed"))).toBe(
      true,
    );
  });

  it("still tells the thread when the event stream itself breaks", async () => {
    const sink = new FakeSink();
    const broken = {
      async *[Symbol.asyncIterator]() {
        yield events[0] as RunEvent;
        throw new Error("service bug");
      },
    };
    await deliverRun(fakeDelivery({}), sink, broken, {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: true,
    });
    expect(sink.posts().at(-1)).toBe("error internal");
  });

  it("redraws an approval card it posted with its buttons when the approval is reopened", async () => {
    const sink = new FakeSink();
    const requested = events.find(
      (event) => event.type === "approval_requested",
    ) as RunEventOf<"approval_requested">;
    const reopened: RunEvent = { ...base, type: "approval_reopened", approval: requested.approval };
    await deliverRun(fakeDelivery({}), sink, streamOf([requested, reopened]), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: false,
    });
    const card = sink.calls.find((call) => call.op === "post" && call.what.startsWith("approval "));
    expect(card).toBeDefined();
    expect(sink.calls).toContainEqual({
      op: "update",
      id: (card as { id: string }).id,
      what: `approval ${requested.approval.approval_id} open`,
    });
  });
});
