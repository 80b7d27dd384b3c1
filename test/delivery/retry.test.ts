import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/conversations/events.js";
import { retry } from "../../src/delivery/index.js";
import { FakeSink, fakeDelivery, streamOf } from "./fakes.js";

const base = {
  threadKey: "slack:T1:C1:1.1",
  runId: "run_2",
  locale: "ko" as const,
  at: "2025-11-03T09:30:00.000Z",
};

describe("the retry flow", () => {
  it("runs the kept request again in the thread, card first", async () => {
    const asked: { id: string; by: string }[] = [];
    const ctx = fakeDelivery({
      retry: (id, input) => {
        asked.push({ id, by: input.by });
        return streamOf([{ ...base, type: "status", status: "planning", message: "" }]);
      },
    });
    const sink = new FakeSink();
    await retry(ctx, { sink, threadKey: base.threadKey, user: "U_B" }, "rt_1");
    expect(asked).toEqual([{ id: "rt_1", by: "U_B" }]);
    expect(sink.calls[0]).toMatchObject({ op: "post", what: expect.stringMatching(/^progress/) });
    expect(ctx.userLocales.get("U_B")).toBe("ko");
  });

  it("tells only the clicker, in their own language, that a used retry is gone, and reads the stream out", async () => {
    let drained = false;
    const refused: RunEvent = {
      ...base,
      type: "error",
      kind: "retry_unavailable",
      message: "",
      retryable: false,
    };
    const ctx = fakeDelivery({
      retry: () => ({
        async *[Symbol.asyncIterator]() {
          yield refused;
          drained = true;
        },
      }),
    });
    ctx.userLocales.set("U_C", "en");
    const sink = new FakeSink();
    await retry(ctx, { sink, threadKey: base.threadKey, user: "U_C" }, "rt_1");
    expect(sink.calls).toEqual([{ op: "private", user: "U_C", what: "error retry_unavailable" }]);
    expect(drained).toBe(true);
  });

  it("tells the service which approver group vouches for the clicker, and in which language to refuse", async () => {
    const asked: { by: string; approvedVia: string | undefined; locale: string | undefined }[] = [];
    const notAllowed: RunEvent = {
      ...base,
      locale: "en",
      type: "error",
      kind: "retry_not_allowed",
      message: "",
      retryable: false,
    };
    const ctx = fakeDelivery(
      {
        retry: (_id, input) => {
          asked.push({ by: input.by, approvedVia: input.approvedVia, locale: input.locale });
          return streamOf([notAllowed]);
        },
      },
      { groups: { S0LEADS: ["U_LEAD"] } },
    );
    ctx.userLocales.set("U_X", "ko");
    const sink = new FakeSink();
    await retry(ctx, { sink, threadKey: base.threadKey, user: "U_LEAD" }, "rt_1");
    await retry(ctx, { sink, threadKey: base.threadKey, user: "U_X" }, "rt_1");
    expect(asked).toEqual([
      { by: "U_LEAD", approvedVia: "S0LEADS", locale: undefined },
      { by: "U_X", approvedVia: undefined, locale: "ko" },
    ]);
    // Refused clicks change nothing and are told to the clicker alone.
    expect(sink.calls).toEqual([
      { op: "private", user: "U_LEAD", what: "error retry_not_allowed" },
      { op: "private", user: "U_X", what: "error retry_not_allowed" },
    ]);
  });
});
