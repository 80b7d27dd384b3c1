import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { RETENTION_TASK } from "../../src/conversations/index.js";
import { workerSchemaFor } from "../../src/store/queue/graphile-sql.js";
import { InProcessJobQueue } from "../../src/store/queue/in-process.js";
import { DATABASE_KINDS, type TestStore } from "../support/databases.js";
import { replicaQueue } from "../support/service.js";
import { heldAgent, ofType, send, serviceFixture } from "./support.js";

/** Every table a thread has rows in, and its thread-key column. */
const THREAD_TABLES = [
  ["octo_sessions", "thread_id"],
  ["checkpoints", "thread_id"],
  ["checkpoint_writes", "thread_id"],
  ["checkpoint_blobs", "thread_id"],
  ["octo_turns", "thread_id"],
  ["octo_runs", "thread_key"],
  ["octo_run_events", "thread_key"],
  ["octo_approvals", "thread_id"],
  ["octo_feedback", "thread_id"],
  ["octo_deliveries", "thread_id"],
  ["octo_retries", "thread_id"],
] as const;

/** Each timestamp a thread's rows carry, as the prune reads them. */
const TIMESTAMPS = [
  ["octo_sessions", "thread_id", ["created_at", "updated_at"]],
  ["octo_turns", "thread_id", ["finished_at", "created_at"]],
  ["octo_runs", "thread_key", ["started_at", "updated_at"]],
  ["octo_run_events", "thread_key", ["at"]],
  ["octo_approvals", "thread_id", ["created_at", "decided_at", "expires_at"]],
  ["octo_feedback", "thread_id", ["created_at", "updated_at"]],
  ["octo_deliveries", "thread_id", ["created_at"]],
  ["octo_retries", "thread_id", ["created_at", "expires_at"]],
] as const;

/** Moves everything the thread holds `days` into the past, as if it had been idle that long. */
async function age(store: TestStore, threadKey: string, days: number): Promise<void> {
  for (const [table, column, stamps] of TIMESTAMPS) {
    const sets = stamps.map((stamp) => `${stamp} = ${stamp} - make_interval(days => $2)`).join(", ");
    await store.db.query(`UPDATE ${table} SET ${sets} WHERE ${column} = $1`, [threadKey, days]);
  }
  await store.db.query(
    `UPDATE checkpoints SET checkpoint = jsonb_set(checkpoint, '{ts}', to_jsonb(to_char(
       ((checkpoint ->> 'ts')::timestamptz - make_interval(days => $2)) AT TIME ZONE 'UTC',
       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
     WHERE thread_id = $1`,
    [threadKey, days],
  );
}

async function rowsOf(store: TestStore, threadKey: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, column] of THREAD_TABLES) {
    const { rows } = await store.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`,
      [threadKey],
    );
    counts[table] = rows[0]?.n ?? 0;
  }
  return counts;
}

/** A whole conversation: an approved contract step, a rating, a delivered message and a retry button. */
async function converse(
  fixture: ReturnType<typeof serviceFixture>,
  service: ReturnType<ReturnType<typeof serviceFixture>["make"]>["service"],
  threadKey: string,
): Promise<void> {
  const store = fixture.store();
  const events = await send(service, "draft an NDA contract", { threadKey });
  const approvalId = ofType(events, "approval_requested")[0]?.approval.approval_id as string;
  await collect(service.decide(approvalId, { decision: "approve", by: "alice" }));
  const runId = (await service.runs(threadKey))[0]?.runId as string;
  await store.feedback.rate({ runId, threadId: threadKey, platform: "console", rater: "bob", rating: "up" });
  await store.deliveries.record(runId, threadKey, "answer", "m1");
  await store.retries.create(
    {
      retryId: `retry-${threadKey}`,
      threadId: threadKey,
      platform: "console",
      requester: "alice",
      request: { text: "again", format: undefined, attachments: [] },
    },
    3_600,
  );
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe.each(DATABASE_KINDS)("retention on %s", (kind) => {
  const fixture = serviceFixture(kind);

  it("deletes an idle conversation from every table and keeps a recent one", async () => {
    const { service } = fixture.make();
    const store = fixture.store();
    await converse(fixture, service, "console:old");
    await converse(fixture, service, "console:new");
    const before = await rowsOf(store, "console:old");
    for (const [table] of THREAD_TABLES) expect(before[table], table).toBeGreaterThan(0);
    await service.idle();
    await age(store, "console:old", 40);
    // Rows that lapse on their own: an expired claim, a model answer unused for 40 days, a live one.
    await store.processedEvents.claim("slack:expired", 0);
    await store.db.query(
      `INSERT INTO octo_llm_cache (cache_key, provider, model, purpose, response, created_at, expires_at)
       VALUES ('stale', 'p', 'm', 'plan', '{}', now() - interval '40 days', now() + interval '1 day'),
              ('fresh', 'p', 'm', 'plan', '{}', now(), now() + interval '1 day')`,
    );

    const report = await service.prune({ olderThanDays: 30 });

    expect(report).toMatchObject({ threads: 1, busy: 0 });
    expect(report.expired).toMatchObject({ octo_processed_events: 1, octo_llm_cache: 1 });
    expect(Object.values(await rowsOf(store, "console:old")).every((n) => n === 0)).toBe(true);
    const kept = await rowsOf(store, "console:new");
    for (const [table] of THREAD_TABLES) expect(kept[table], table).toBe(before[table]);
    const cache = await store.db.query<{ cache_key: string }>("SELECT cache_key FROM octo_llm_cache");
    expect(cache.rows.map((row) => row.cache_key)).toContain("fresh");
    expect(cache.rows.map((row) => row.cache_key)).not.toContain("stale");
    expect((await service.history("console:new")).turns.length).toBeGreaterThan(0);
  });

  it("never prunes an old conversation that is mid-run or waiting for approval", async () => {
    const held = heldAgent();
    const { service } = fixture.make({ scripted: held.scripted });
    const store = fixture.store();
    await send(service, "draft an NDA contract", { threadKey: "console:waiting" });
    const running = send(service, "search cats", { threadKey: "console:running" });
    await held.entered;
    await age(store, "console:waiting", 400);
    await age(store, "console:running", 400);

    const report = await service.prune({ olderThanDays: 30 });

    expect(report.threads).toBe(0);
    expect((await rowsOf(store, "console:waiting")).octo_sessions).toBe(1);
    expect((await rowsOf(store, "console:running")).octo_sessions).toBe(1);
    expect((await service.pendingApprovals("console:waiting")).length).toBe(1);
    held.release();
    expect(ofType(await running, "result").length).toBe(1);
    // Finished and idle long enough, it goes at the next prune.
    await service.idle("console:running");
    await age(store, "console:running", 400);
    expect((await service.prune({ olderThanDays: 30 })).threads).toBe(1);
    expect((await rowsOf(store, "console:waiting")).octo_sessions).toBe(1);
  });

  it("prunes every idle conversation when they outnumber a batch", async () => {
    const { service } = fixture.make();
    const store = fixture.store();
    const keys = ["a", "b", "c", "d", "e"].map((name) => `console:${name}`);
    for (const threadKey of keys) {
      await send(service, "search cats", { threadKey });
      await service.idle(threadKey);
      await age(store, threadKey, 31);
    }
    await send(service, "search dogs", { threadKey: "console:kept" });

    const report = await service.prune({ olderThanDays: 30, batchSize: 2 });

    expect(report.threads).toBe(5);
    for (const threadKey of keys)
      expect(Object.values(await rowsOf(store, threadKey)).every((n) => n === 0)).toBe(true);
    expect((await rowsOf(store, "console:kept")).octo_sessions).toBe(1);
  });

  it("registers the prune with the queue's schedule, and the scheduled run prunes", async () => {
    const store = fixture.store();
    const graphile = await replicaQueue(store, "retention");
    const { service } = fixture.make({
      settings: { retentionDays: 30 },
      ...(graphile ? { queue: graphile } : {}),
    });
    await send(service, "search cats", { threadKey: "console:old" });
    await service.idle();
    await age(store, "console:old", 31);
    await service.start();
    if (graphile) {
      const ws = workerSchemaFor(store.db.schema);
      const known = await store.db.query<{ identifier: string }>(
        `SELECT identifier FROM "${ws}"._private_known_crontabs`,
      );
      expect(known.rows.map((row) => row.identifier)).toEqual([RETENTION_TASK]);
      // The minute's job, as graphile's cron adds it.
      await store.db.query(
        `SELECT "${ws}".add_job($1, '{}'::json, queue_name => $1, job_key => $1, max_attempts => 1)`,
        [RETENTION_TASK],
      );
      for (
        let look = 0;
        look < 200 && ((await rowsOf(store, "console:old")).octo_sessions ?? 0) > 0;
        look += 1
      )
        await sleep(50);
    } else {
      const scheduler = queueOf(service);
      expect(scheduler.runDue(new Date("2026-12-01T10:18:00Z"))).toEqual([]);
      await Promise.all(scheduler.runDue(new Date("2026-12-01T10:17:00Z")));
    }
    expect(Object.values(await rowsOf(store, "console:old")).every((n) => n === 0)).toBe(true);
  });
});

describe("retention settings", () => {
  it("reads OCTO_RETENTION_DAYS: 30 by default, 0 and off turn it off", () => {
    expect(loadConfig({}).OCTO_RETENTION_DAYS).toBe(30);
    expect(loadConfig({ OCTO_RETENTION_DAYS: "off" }).OCTO_RETENTION_DAYS).toBe(0);
    expect(loadConfig({ OCTO_RETENTION_DAYS: "0" }).OCTO_RETENTION_DAYS).toBe(0);
    expect(() => loadConfig({ OCTO_RETENTION_DAYS: "soon" })).toThrow(/OCTO_RETENTION_DAYS/);
  });
});

/** The in-process queue's scheduler, from the service the fixture made. */
function queueOf(service: object): InProcessJobQueue["scheduler"] {
  const queue = (service as { core: { queue: unknown } }).core.queue;
  if (!(queue instanceof InProcessJobQueue)) throw new Error("not the in-process queue");
  return queue.scheduler;
}
