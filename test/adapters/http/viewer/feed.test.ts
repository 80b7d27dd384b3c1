import { describe, expect, it } from "vitest";
import { conversationFeed, type LoggedRunEvent } from "../../../../src/adapters/http/viewer/index.js";
import { serviceFixture } from "../../../conversations/support.js";
import { DATABASE_KINDS } from "../../../support/databases.js";
import { collectEvents } from "../../../support/events.js";

const THREAD = "slack:T1:C1:1764590000.000200";

describe.each(DATABASE_KINDS)("the viewer's feed from the run event log, on %s", (kind) => {
  const fixture = serviceFixture(kind);

  it("follows a run through its pause for approval to its answer, and replays it whole afterwards", async () => {
    const { service } = fixture.make();
    const feed = conversationFeed(service, { restPollMs: 50 });
    let runId: string | undefined;
    const turn = collectEvents(
      service.send(
        {
          platform: "slack",
          threadKey: THREAD,
          user: "alice",
          text: "search the law, then draft the contract",
        },
        { follow: false, onRun: (id) => (runId = id) },
      ),
    );
    await turn;
    if (!runId) throw new Error("the request was not kept");

    const followed: LoggedRunEvent[] = [];
    const stop = new AbortController();
    const following = (async () => {
      for await (const logged of feed.follow(runId as string, 0, stop.signal)) {
        followed.push(logged);
        if (logged.event.type === "result") stop.abort();
      }
    })();
    // The run pauses for the contract step's approval; the follower stays with it.
    await expect
      .poll(() => followed.some((logged) => logged.event.type === "approval_requested"), { timeout: 20_000 })
      .toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(followed.some((logged) => logged.event.type === "result")).toBe(false);
    const [approval] = await service.pendingApprovals(THREAD);
    if (!approval) throw new Error("no approval");
    await collectEvents(
      service.decide(approval.approvalId, { decision: "approve", by: "alice" }, { follow: false }),
    );
    await service.idle(THREAD);
    await Promise.race([
      following,
      new Promise((_, reject) => setTimeout(() => reject(new Error("stuck")), 20_000)),
    ]);

    const types = followed.map((logged) => logged.event.type);
    expect(types).toEqual(
      expect.arrayContaining(["plan", "approval_requested", "approval_decided", "result"]),
    );
    expect(types.indexOf("approval_decided")).toBeGreaterThan(types.indexOf("approval_requested"));
    expect(followed.map((logged) => logged.seq)).toEqual(followed.map((_, index) => index + 1));
    expect(followed.every((logged) => logged.threadKey === THREAD && logged.runId === runId)).toBe(true);

    const replay = await feed.snapshot(runId);
    expect(replay.known).toBe(true);
    expect(replay.events.map((logged) => logged.seq)).toEqual(followed.map((logged) => logged.seq));

    // Forgetting the conversation deletes its runs' events: a link to one then finds nothing.
    expect(await service.forget(THREAD)).toBe(true);
    expect(await feed.snapshot(runId)).toEqual({ known: false, events: [] });
  });

  it("waits for a run it does not know yet until told to stop", async () => {
    const { service } = fixture.make();
    const feed = conversationFeed(service, { restPollMs: 20 });
    expect(await feed.snapshot("run_unknown")).toEqual({ known: false, events: [] });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 150);
    const seen: LoggedRunEvent[] = [];
    for await (const logged of feed.follow("run_unknown", 0, stop.signal)) seen.push(logged);
    expect(seen).toEqual([]);
  });
});
