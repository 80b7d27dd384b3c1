import { describe, expect, it } from "vitest";
import type { ScriptedLlm } from "../../src/llm/scripted.js";
import { silentLogger } from "../../src/log.js";
import type { NewJob, Queryable } from "../../src/store/index.js";
import { InProcessJobQueue } from "../../src/store/queue/in-process.js";
import { DATABASE_KINDS } from "../support/databases.js";
import { collectEvents, type DeliveredRun, deliveredRuns } from "../support/events.js";
import { createTestService } from "../support/service.js";
import { ofType, resultOf, serviceFixture, signal } from "./support.js";

const THREAD = "console:durable";

/** A queue that refuses to add the next `failures` jobs, as a database that goes away mid-click would. */
class FailingQueue extends InProcessJobQueue {
  failures = 0;
  override async enqueue(job: NewJob, tx?: Queryable): Promise<string | undefined> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("connection terminated");
    }
    return super.enqueue(job, tx);
  }
}

describe.each(DATABASE_KINDS)("work on a thread as durable jobs, on %s", (kind) => {
  const fixture = serviceFixture(kind);

  async function pausedForApproval(service: ReturnType<typeof fixture.make>["service"]) {
    const events = await collectEvents(
      service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "draft an NDA contract" }),
    );
    const [asked] = ofType(events, "approval_requested");
    if (!asked) throw new Error("the run did not ask for approval");
    return asked.approval.approval_id;
  }

  function delivering(service: ReturnType<typeof fixture.make>["service"]): DeliveredRun[] {
    const runs: DeliveredRun[] = [];
    service.deliverTo("console", async (run) => {
      runs.push({ ...run, events: await collectEvents(run.events) });
    });
    return runs;
  }

  it("reports in the thread the run an expired approval's click settles (bug 5)", async () => {
    const { service } = fixture.make();
    const approvalId = await pausedForApproval(service);
    await fixture
      .store()
      .db.query("UPDATE octo_approvals SET expires_at = now() - interval '1 second' WHERE approval_id = $1", [
        approvalId,
      ]);
    const runs = delivering(service);

    const click = await collectEvents(
      service.decide(approvalId, { decision: "approve", by: "alice" }, { follow: false }),
    );
    expect(click).toMatchObject([{ type: "error", kind: "approval_expired" }]);
    await service.idle();

    // The click's own stream carried only the refusal; the settled run reached the thread.
    expect(runs.map((run) => run.kind)).toEqual(["expiry"]);
    const result = resultOf(runs[0]?.events ?? []);
    expect(result.step_results[0]).toMatchObject({ agent: "contract", status: "skipped" });
    expect((await fixture.store().approvals.get(approvalId))?.status).toBe("expired");
    expect((await fixture.store().sessions.get(THREAD))?.status).toBe("completed");
  });

  it("records a decision only together with the job that applies it (bug 7)", async () => {
    const queue = new FailingQueue({ db: fixture.store().db, concurrency: 2, logger: silentLogger() });
    const { service } = fixture.make({ queue });
    const approvalId = await pausedForApproval(service);

    queue.failures = 1;
    const refused = await collectEvents(service.decide(approvalId, { decision: "approve", by: "alice" }));
    expect(refused).toMatchObject([{ type: "error" }]);
    // Nothing half-done: still pending and waiting, so the person can click again.
    expect((await fixture.store().approvals.get(approvalId))?.status).toBe("pending");
    expect((await fixture.store().sessions.get(THREAD))?.status).toBe("waiting_human");

    const applied = await collectEvents(service.decide(approvalId, { decision: "approve", by: "alice" }));
    expect(ofType(applied, "approval_decided")).toHaveLength(1);
    expect(resultOf(applied).step_results[0]).toMatchObject({ status: "completed" });
  });

  it("keeps messages sent in a row in their order, one run at a time", async () => {
    const { service, llm } = fixture.make();
    const streams = ["one", "two", "three"].map((word) =>
      collectEvents(
        service.send({ platform: "console", threadKey: THREAD, user: "alice", text: `search ${word}` }),
      ),
    );
    const all = await Promise.all(streams);
    expect(all.map((events) => resultOf(events).request)).toEqual([
      "search one",
      "search two",
      "search three",
    ]);
    const intents = (llm as ScriptedLlm).calls
      .filter((call) => call.purpose === "intent")
      .map((call) => call.context.request);
    expect(intents).toEqual(["search one", "search two", "search three"]);
  });

  it("keeps a message queued behind a running turn across a shutdown, and runs both in order after it", async () => {
    const stuck = signal();
    const searching = signal();
    const first = createTestService(fixture.store(), {
      scripted: {
        handlers: {
          "agent:search": async () => {
            searching.resolve();
            await stuck.promise;
            return { result: "late", confidence: 0.5 };
          },
        },
      },
    });
    const running = collectEvents(
      first.service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "search one" }),
    );
    await searching.promise;
    const queued = collectEvents(
      first.service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "search two" }),
    );
    // The second waits in the queue; a deploy stops the process before it ran.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = first.service.close(2_000);
    stuck.resolve();
    await closing;
    expect((await running).at(-1)).toMatchObject({ type: "error", kind: "restarting" });
    // Its follower hears it will continue; the job itself stays in the queue.
    expect(ofType(await queued, "result")).toHaveLength(0);
    expect((await queued).at(-1)).toMatchObject({ type: "error", kind: "restarting" });

    const next = fixture.make();
    const runs = await deliveredRuns(next.service, "console");
    await next.service.idle(THREAD);
    expect(runs.map((run) => run.kind)).toEqual(["turn", "turn"]);
    expect(runs.map((run) => resultOf(run.events).request)).toEqual(["search one", "search two"]);
    expect(await fixture.store().sessions.get(THREAD)).toMatchObject({ status: "completed", turns: 2 });
  });

  it("stops a turn past OCTO_TURN_TIMEOUT_MS, rolls it back and offers a retry", async () => {
    const { service } = fixture.make({
      settings: { turnTimeoutMs: 300 },
      scripted: { handlers: { "agent:search": () => new Promise((resolve) => setTimeout(resolve, 5_000)) } },
    });
    const events = await collectEvents(
      service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "search slowly" }),
    );
    const failure = events.at(-1);
    expect(failure).toMatchObject({ type: "error", kind: "turn_timeout", retryable: true });
    expect(failure?.type === "error" && failure.retry_id).toMatch(/^rt_/);
    expect(await fixture.store().sessions.get(THREAD)).toBeUndefined();
  });

  it("admits at most OCTO_CONCURRENCY runs at once; the rest say they are queued and run after", async () => {
    const gate = signal();
    const first = signal();
    const queue = new InProcessJobQueue({ db: fixture.store().db, concurrency: 1, logger: silentLogger() });
    const { service } = fixture.make({
      queue,
      scripted: {
        handlers: {
          "agent:search": async () => {
            first.resolve();
            await gate.promise;
            return { result: "found", confidence: 0.8 };
          },
        },
      },
    });
    const busy = collectEvents(
      service.send({ platform: "console", threadKey: "console:one", user: "alice", text: "search one" }),
    );
    await first.promise;
    const waiting = collectEvents(
      service.send({ platform: "console", threadKey: "console:two", user: "bob", text: "search two" }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    gate.resolve();
    const [one, two] = await Promise.all([busy, waiting]);
    expect(ofType(two, "status")[0]?.status).toBe("queued");
    expect(ofType(one, "status").map((event) => event.status)).not.toContain("queued");
    expect(resultOf(two).request).toBe("search two");
  });

  it("refuses to rewind while the thread's work is queued or running, and rewinds once it is done", async () => {
    const gate = signal();
    const entered = signal();
    let searches = 0;
    const { service } = fixture.make({
      scripted: {
        handlers: {
          "agent:search": async () => {
            searches += 1;
            if (searches > 1) {
              entered.resolve();
              await gate.promise;
            }
            return { result: "found", confidence: 0.8 };
          },
        },
      },
    });
    await collectEvents(
      service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "search one" }),
    );
    const running = collectEvents(
      service.send({ platform: "console", threadKey: THREAD, user: "alice", text: "search two" }),
    );
    await entered.promise;
    await expect(service.rewind(THREAD, { turns: 1 })).rejects.toMatchObject({ code: "thread_busy" });
    gate.resolve();
    await running;
    await service.idle(THREAD);
    expect(await service.rewind(THREAD, { turns: 1 })).toMatchObject({ turns: 1 });
  });
});
