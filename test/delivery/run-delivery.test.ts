import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventOf } from "../../src/conversations/events.js";
import { deliverRun } from "../../src/delivery/index.js";
import type { RenderedFile, RenderResultOptions } from "../../src/renderers/types.js";
import type { RunResult } from "../../src/supervisor/types.js";
import type { Locale } from "../../src/vocabulary/index.js";
import { fixtureEvents } from "../renderers/fixtures.js";
import { type FakeMessage, FakeSink, FakeStreamSink, fakeDelivery, streamOf } from "./fakes.js";

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

  it("gives a platform whose messages carry their files each answer message with the reply's files", async () => {
    const sink = new FilesSink();
    await deliverRun(fakeDelivery({}), sink, streamOf(events), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: true,
    });
    expect(sink.withFiles).toEqual([
      { what: expect.stringMatching(/^answer /), files: ["answer.md"] },
      { what: "summary", files: ["answer.md"] },
    ]);
    expect(sink.calls.some((call) => call.op === "upload")).toBe(false);
  });

  it("posts a refused message with files in its plain form and says once that files are missing", async () => {
    const sink = new FilesSink();
    sink.refuseWithFiles = "answer";
    await deliverRun(fakeDelivery({}), sink, streamOf(events), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: true,
    });
    expect(
      sink.calls
        .filter((call) => call.op === "post" && !call.rich)
        .map((call) => call.op === "post" && call.what),
    ).toEqual([
      expect.stringMatching(/^answer /),
      `notice ${JSON.stringify({ kind: "upload_failed", error: "request_too_large" })}`,
    ]);
    expect(sink.withFiles).toEqual([{ what: "summary", files: ["answer.md"] }]);
  });

  it("shows the progress in a message the request named, records it for the run and posts no card", async () => {
    const ctx = fakeDelivery({});
    const recorded: [string, string, string][] = [];
    ctx.ledger = {
      ...ctx.ledger,
      recordDelivery: async (runId, _threadKey, item, messageId) =>
        void recorded.push([runId, item, messageId]),
    };
    const sink = new FakeSink();
    await deliverRun(ctx, sink, streamOf(events), {
      threadKey: base.threadKey,
      user: "U1",
      locale: "en",
      cardAtOnce: true,
      runId: "run_1",
      progressCard: "root",
    });
    expect(sink.posts().some((what) => what.startsWith("progress"))).toBe(false);
    expect(sink.calls.filter((call) => call.op === "update").every((call) => call.id === "root")).toBe(true);
    expect(sink.calls.some((call) => call.op === "update" && call.what.startsWith("progress done"))).toBe(
      true,
    );
    expect(recorded[0]).toEqual(["run_1", "progress", "root"]);
  });
});

/** A platform whose answer messages carry their files (Discord's multipart posts). */
class FilesSink extends FakeSink {
  readonly withFiles: { what: string; files: string[] }[] = [];
  refuseWithFiles: string | undefined;

  async postWithFiles(message: FakeMessage, files: readonly RenderedFile[]): Promise<string> {
    if (this.refuseWithFiles !== undefined && message.what.startsWith(this.refuseWithFiles))
      throw Object.assign(new Error("refused"), { code: "request_too_large" });
    this.withFiles.push({ what: message.what, files: files.map((file) => file.filename) });
    return `f${this.withFiles.length}`;
  }
}

describe("the View run link", () => {
  const target = { threadKey: base.threadKey, user: "U1", locale: "en" as const, cardAtOnce: false };
  const resultRun = events.find((event) => event.type === "result")?.runId;

  it("is signed for the answer's thread and run and handed to the renderer with the feedback id", async () => {
    const made: [string, string][] = [];
    const seen: RenderResultOptions[] = [];
    const ctx = fakeDelivery({});
    const linked = {
      ...ctx,
      runLink: (threadKey: string, runId: string) => {
        made.push([threadKey, runId]);
        return `https://octo.example.com/runs/${runId}.sig`;
      },
      renderer: {
        ...ctx.renderer,
        result: (result: RunResult, locale: Locale, options?: RenderResultOptions) => {
          seen.push(options ?? {});
          return ctx.renderer.result(result, locale, options);
        },
      },
    };
    await deliverRun(linked, new FakeSink(), streamOf(events), target);
    expect(made).toEqual([[base.threadKey, resultRun]]);
    expect(seen).toEqual([
      { feedbackRunId: resultRun, runUrl: `https://octo.example.com/runs/${resultRun}.sig` },
    ]);
  });

  it("reaches a streamed answer too, and is left out when links are off", async () => {
    const seen: (RenderResultOptions | undefined)[] = [];
    for (const runLink of [
      (_thread: string, runId: string) => `https://o.example/runs/${runId}`,
      undefined,
    ]) {
      const ctx = fakeDelivery({}, { stream: true });
      const stream = ctx.renderer.stream;
      if (!stream) throw new Error("no stream renderer");
      await deliverRun(
        {
          ...ctx,
          runLink,
          renderer: {
            ...ctx.renderer,
            stream: {
              ...stream,
              answer: (state, result, locale, options) => {
                seen.push(options);
                return stream.answer(state, result, locale, options);
              },
            },
          },
        },
        new FakeStreamSink(),
        streamOf(events),
        target,
      );
    }
    expect(seen).toEqual([
      { feedbackRunId: resultRun, runUrl: `https://o.example/runs/${resultRun}` },
      { feedbackRunId: resultRun },
    ]);
  });
});
