import { describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../support/databases.js";
import { send, serviceFixture } from "./support.js";

describe.each(DATABASE_KINDS)("ratings of answers on %s", (kind) => {
  const fixture = serviceFixture(kind);
  const rating = (by: string, value: "up" | "down") =>
    ({ by, rating: value, threadKey: "console:t", platform: "console" }) as const;

  it("records one rating per person and answer, and shows them per turn in the history", async () => {
    const { service } = fixture.make();
    const first = (await send(service, "search cats"))[0]?.runId as string;
    const second = (await send(service, "search dogs"))[0]?.runId as string;

    expect(await service.rateRun(first, rating("alice", "up"))).toEqual({
      rating: "up",
      previous: undefined,
    });
    expect(await service.rateRun(first, rating("alice", "down"))).toEqual({ rating: "down", previous: "up" });
    expect(await service.rateRun(first, rating("bob", "up"))).toEqual({ rating: "up", previous: undefined });
    await service.rateRun(second, rating("alice", "down"));

    const history = await service.history("console:t");
    expect(history.turns.map((turn) => [turn.runId, turn.feedback])).toEqual([
      [first, { up: 1, down: 1 }],
      [second, { up: 0, down: 1 }],
    ]);
    expect(history.feedback).toEqual({ up: 1, down: 2 });

    // A rewound turn's answer keeps its ratings in the conversation's total, not in a turn.
    await service.rewind("console:t", { turns: 1 });
    const after = await service.history("console:t");
    expect(after.turns.map((turn) => turn.feedback)).toEqual([{ up: 1, down: 1 }]);
    expect(after.feedback).toEqual({ up: 1, down: 2 });
  });

  it("refuses a rating in a conversation that was forgotten, and forgets ratings with it", async () => {
    const { service } = fixture.make();
    const runId = (await send(service, "search cats"))[0]?.runId as string;
    await service.rateRun(runId, rating("alice", "up"));
    await service.forget("console:t");
    expect(await fixture.store().feedback.tallies("console:t")).toEqual(new Map());
    await expect(service.rateRun(runId, rating("alice", "up"))).rejects.toMatchObject({
      code: "feedback_unavailable",
    });
  });
});
