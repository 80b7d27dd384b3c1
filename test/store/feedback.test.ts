import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";

describe.each(DATABASE_KINDS)("feedback store on %s", (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.destroy();
  });

  const rate = (rater: string, rating: "up" | "down", runId = "run_a", threadId = "slack:T:C:1") =>
    store.feedback.rate({ runId, threadId, platform: "slack", rater, rating });
  const rows = async () =>
    (
      await store.db.query<{ run_id: string; rater: string; rating: string; changed: boolean }>(
        `SELECT run_id, rater, rating, updated_at > created_at AS changed
           FROM octo_feedback ORDER BY run_id, rater`,
      )
    ).rows;

  it("keeps one rating per person and run: a second click changes it, another person adds one", async () => {
    expect(await rate("alice", "up")).toEqual({ previous: undefined });
    expect(await rate("alice", "up")).toEqual({ previous: "up" });
    expect(await rows()).toEqual([{ run_id: "run_a", rater: "alice", rating: "up", changed: false }]);

    expect(await rate("alice", "down")).toEqual({ previous: "up" });
    expect(await rows()).toEqual([{ run_id: "run_a", rater: "alice", rating: "down", changed: true }]);

    expect(await rate("bob", "up")).toEqual({ previous: undefined });
    expect(await rate("alice", "up", "run_b")).toEqual({ previous: undefined });
    expect((await rows()).map((row) => [row.run_id, row.rater, row.rating])).toEqual([
      ["run_a", "alice", "down"],
      ["run_a", "bob", "up"],
      ["run_b", "alice", "up"],
    ]);
    expect(await store.feedback.tallies("slack:T:C:1")).toEqual(
      new Map([
        ["run_a", { up: 1, down: 1 }],
        ["run_b", { up: 1, down: 0 }],
      ]),
    );
  });

  it("ends concurrent clicks of one person as one row", async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => rate("alice", i % 2 === 0 ? "up" : "down")));
    expect(await rows()).toHaveLength(1);
  });

  it("counts every rating by platform and rating, and forgets a thread's", async () => {
    await rate("alice", "up");
    await rate("bob", "up");
    await rate("carol", "down", "run_c", "slack:T:C:2");
    await store.feedback.rate({
      runId: "run_d",
      threadId: "discord:G:C:3",
      platform: "discord",
      rater: "dave",
      rating: "down",
    });
    expect(await store.feedback.countsByRating()).toEqual([
      { platform: "discord", rating: "down", count: 1 },
      { platform: "slack", rating: "down", count: 1 },
      { platform: "slack", rating: "up", count: 2 },
    ]);
    await store.feedback.deleteThread("slack:T:C:1");
    expect(await store.feedback.tallies("slack:T:C:1")).toEqual(new Map());
    expect((await rows()).map((row) => row.run_id)).toEqual(["run_c", "run_d"]);
  });

  it("refuses a rating that is neither up nor down", async () => {
    await expect(
      store.feedback.rate({
        runId: "run_a",
        threadId: "slack:T:C:1",
        platform: "slack",
        rater: "alice",
        rating: "meh" as never,
      }),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
