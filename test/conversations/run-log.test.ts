import { describe, expect, it } from "vitest";
import {
  type ConversationService,
  type LoggedRunEvent,
  parseRunEventId,
  type RunEvent,
  runEventId,
} from "../../src/conversations/index.js";
import { DATABASE_KINDS } from "../support/databases.js";
import { collectEvents } from "../support/events.js";
import { heldAgent, ofType, serviceFixture } from "./support.js";

const THREAD = "console:log";

async function followAll(service: ConversationService, runId: string, after = 0): Promise<LoggedRunEvent[]> {
  const logged: LoggedRunEvent[] = [];
  for await (const event of service.followRun(runId, { after, signal: AbortSignal.timeout(20_000) }))
    logged.push(event);
  return logged;
}

/** Sends without following (as platform adapters do) and resolves with the run's id once it is kept. */
function sendUnfollowed(service: ConversationService, text: string, threadKey = THREAD) {
  let runId: string | undefined;
  const refusals = collectEvents(
    service.send(
      { platform: "console", threadKey, user: "alice", text },
      { follow: false, onRun: (id) => (runId = id) },
    ),
  );
  return refusals.then((events) => {
    if (!runId) throw new Error(`not kept: ${JSON.stringify(events)}`);
    return runId;
  });
}

const types = (events: readonly { type: string }[]) => events.map((event) => event.type);
const logTypes = (events: readonly LoggedRunEvent[]) => events.map((logged) => logged.event.type);

describe("event ids", () => {
  it("name a run and a seq, and nothing else parses as one", () => {
    expect(parseRunEventId(runEventId("run_1b2c", 12))).toEqual({ runId: "run_1b2c", seq: 12 });
    expect(parseRunEventId("run_a:b:3")).toEqual({ runId: "run_a:b", seq: 3 });
    for (const bad of ["", "run_1", "run_1:", ":3", "run_1:-2", "run_1:1e3"])
      expect(parseRunEventId(bad)).toBeUndefined();
  });
});

describe.each(DATABASE_KINDS)("the run event log, on %s", (kind) => {
  const fixture = serviceFixture(kind);

  it("keeps every event of a run in order with gapless seqs, and reads on after any seq", async () => {
    const { service } = fixture.make();
    const streamed = (
      await collectEvents(
        service.send({
          platform: "console",
          threadKey: THREAD,
          user: "alice",
          text: "search cats and analyze data",
        }),
      )
    ).filter((event) => !(event.type === "status" && event.status === "queued"));
    const runId = streamed[0]?.runId as string;
    await service.idle();

    const logged = await service.runEvents(runId);
    expect(logged.map((event) => event.seq)).toEqual(streamed.map((_, index) => index + 1));
    expect(logged.map((event) => event.event)).toEqual(streamed);
    expect(logged[0]).toMatchObject({ id: `${runId}:1`, runId, threadKey: THREAD });
    expect(logTypes(logged)).toContain("step_finished");
    expect(logTypes(logged).at(-1)).toBe("result");

    const rest = await service.runEvents(runId, { after: 3 });
    expect(rest.map((event) => event.seq)).toEqual(logged.slice(3).map((event) => event.seq));
    expect(await service.runEvents(runId, { after: 1, limit: 2 })).toEqual(logged.slice(1, 3));
    expect(await service.run(runId)).toMatchObject({
      runId,
      threadKey: THREAD,
      platform: "console",
      state: "completed",
      live: false,
      lastSeq: logged.length,
    });
    // Following a run that rests yields what is there after `after`, then ends.
    expect(await followAll(service, runId, logged.length - 2)).toEqual(logged.slice(-2));
  });

  it("follows a run from another service instance on the same database until it pauses, then its resumption", async () => {
    const held = heldAgent("search", "found cats");
    const { service: worker } = fixture.make({ scripted: held.scripted });
    await worker.start();
    // Receives requests and follows their runs; never runs one itself.
    const { service: front } = fixture.make({ takesJobs: false });

    const runId = await sendUnfollowed(front, "search cats then draft an NDA contract");
    const following = followAll(front, runId);
    await held.entered;
    held.release();
    const paused = await following;
    expect(logTypes(paused)).toContain("step_started");
    expect(logTypes(paused)).toContain("approval_requested");
    expect(paused.at(-1)?.event).toMatchObject({ type: "status", status: "waiting_approval" });
    expect(await front.run(runId)).toMatchObject({ state: "waiting_approval", live: false });

    const asked = ofType(
      paused.map((logged) => logged.event),
      "approval_requested",
    )[0];
    let resumed: string | undefined;
    const decided = await collectEvents(
      front.decide(
        asked?.approval.approval_id as string,
        { decision: "approve", by: "alice" },
        { follow: false, onRun: (id) => (resumed = id) },
      ),
    );
    expect(types(decided)).toEqual(["approval_decided"]);
    expect(resumed).toBe(runId);
    const after = await followAll(front, runId, paused.length);
    expect(logTypes(after)[0]).toBe("approval_decided");
    expect(after[0]?.seq).toBe(paused.length + 1);
    expect(logTypes(after)).toContain("step_finished");
    expect(logTypes(after).at(-1)).toBe("result");
    // The whole run, both jobs and the decision between them, is one gapless sequence.
    const whole = await front.runEvents(runId);
    expect(whole.map((event) => event.seq)).toEqual(whole.map((_, index) => index + 1));
    expect(await front.run(runId)).toMatchObject({ state: "completed", live: false });
  });

  it("keeps following a run a shutdown cut short until another process has carried it on", async () => {
    const held = heldAgent("search", "late");
    const first = fixture.make({ scripted: held.scripted });
    const runId = await sendUnfollowed(first.service, "search for octopus facts");
    const { service: front } = fixture.make({ takesJobs: false });
    const following = followAll(front, runId);
    await held.entered;
    const closing = first.service.close(2_000);
    held.release();
    await closing;
    await expect.poll(async () => (await front.run(runId))?.state).toBe("interrupted");
    expect((await front.run(runId))?.live).toBe(true);

    const next = fixture.make();
    await next.service.start();
    const logged = await following;
    const events: RunEvent[] = logged.map((entry) => entry.event);
    const stop = events.findIndex((event) => event.type === "error" && event.kind === "restarting");
    expect(stop).toBeGreaterThan(0);
    expect(events.slice(stop + 1).map((event) => event.type)).toContain("result");
    expect(await front.run(runId)).toMatchObject({ state: "completed", live: false });
  });

  it("lists a thread's runs newest first, and forgets them with the conversation", async () => {
    const { service } = fixture.make();
    const first = await collectEvents(
      service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "search one" }),
    );
    const second = await collectEvents(
      service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "draft an NDA contract" }),
    );
    await service.idle();
    const runs = await service.runs(THREAD);
    expect(runs.map((run) => run.runId)).toEqual([second[0]?.runId, first[0]?.runId]);
    expect(runs.map((run) => run.state)).toEqual(["waiting_approval", "completed"]);
    expect(await service.runs(THREAD, { limit: 1 })).toHaveLength(1);

    expect(await service.forget(THREAD)).toBe(true);
    expect(await service.runs(THREAD)).toEqual([]);
    expect(await service.runEvents(first[0]?.runId as string)).toEqual([]);
  });

  it("stops following when the caller aborts, even for a run that is not known", async () => {
    const { service } = fixture.make();
    const controller = new AbortController();
    const seen: LoggedRunEvent[] = [];
    const following = (async () => {
      for await (const event of service.followRun("run_nobody", { signal: controller.signal }))
        seen.push(event);
    })();
    controller.abort();
    await following;
    expect(seen).toEqual([]);
  });
});
