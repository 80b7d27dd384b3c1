import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewApproval } from "../../src/store/approvals.js";
import { openStore } from "../../src/store/index.js";
import { migrate } from "../../src/store/migrations.js";
import { isOctoError } from "../../src/vocabulary/index.js";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../support/databases.js";

describe.each(DATABASE_KINDS)("store on %s", (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("applies migrations once and is idempotent", async () => {
    expect(await migrate(store.db)).toBe(0);
    const { rows } = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM octo_migrations");
    expect(rows[0]?.n).toBeGreaterThanOrEqual(4);
  });

  it("creates a session on the first turn, settles it, restores it after a failed turn", async () => {
    const first = await store.sessions.beginTurn({
      threadId: "console:alice",
      platform: "console",
      requester: "alice",
      title: "Draft an NDA",
      locale: "en",
      format: "chat",
    });
    expect(first).toMatchObject({ status: "active", turns: 0, title: "Draft an NDA" });
    await store.sessions.settle("console:alice", "completed", 1);
    const settled = await store.sessions.get("console:alice");
    expect(settled).toMatchObject({ status: "completed", turns: 1 });
    const second = await store.sessions.beginTurn({
      threadId: "console:alice",
      platform: "console",
      requester: "alice",
      title: "ignored for an existing session",
      locale: "ko",
      format: "report",
    });
    expect(second).toMatchObject({
      status: "active",
      turns: 1,
      title: "Draft an NDA",
      locale: "ko",
      format: "report",
    });
    await store.sessions.restore("console:alice", settled);
    expect(await store.sessions.get("console:alice")).toMatchObject({
      status: "completed",
      turns: 1,
      locale: "en",
      format: "chat",
    });
    expect((await store.sessions.listByRequester("alice")).map((s) => s.threadId)).toEqual(["console:alice"]);
    expect(await store.sessions.listByRequester("bob")).toEqual([]);
    expect(await store.sessions.delete("console:alice")).toBe(true);
    expect(await store.sessions.get("console:alice")).toBeUndefined();
  });

  it("accepts exactly one of two concurrent decisions on an approval", async () => {
    const approval: NewApproval = {
      approvalId: "apr_1",
      threadId: "console:alice",
      runId: "run_1",
      interruptId: "int_1",
      stepId: 2,
      agent: "contract",
      task: "Draft the NDA",
      reason: "policy",
      requester: "alice",
      locale: "en",
      ttlSeconds: 3600,
    };
    expect((await store.approvals.create(approval)).created).toBe(true);
    expect((await store.approvals.create(approval)).created).toBe(false);
    const [a, b] = await Promise.all([
      store.approvals.decide("apr_1", "approved", "alice"),
      store.approvals.decide("apr_1", "rejected", "bob"),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const stored = await store.approvals.get("apr_1");
    expect(stored?.status).toBe(a ? "approved" : "rejected");
    expect(stored?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(await store.approvals.pending("console:alice")).toEqual([]);
  });

  it("claims a processed event once until its claim expires", async () => {
    expect(await store.processedEvents.claim("slack:Ev1")).toBe(true);
    expect(await store.processedEvents.claim("slack:Ev1")).toBe(false);
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => store.processedEvents.claim("slack:Ev2")),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    await store.db.query("UPDATE octo_processed_events SET expires_at = now() - interval '1 second'");
    expect(await store.processedEvents.claim("slack:Ev1")).toBe(true);
    expect(await store.processedEvents.prune()).toBe(1);
  });

  it("reports SQL errors with their Postgres code", async () => {
    await store.db.query("INSERT INTO octo_processed_events (event_key, expires_at) VALUES ('dup', now())");
    const duplicate = await store.db
      .query("INSERT INTO octo_processed_events (event_key, expires_at) VALUES ('dup', now())")
      .catch((error: unknown) => error);
    expect(duplicate).toMatchObject({ code: "23505" });
    await expect(store.db.query("SELEC 1")).rejects.toMatchObject({ code: "42601" });
    const { rows } = await store.db.query<{ n: number }>("SELECT 1::int AS n");
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("rolls a failed transaction back", async () => {
    await expect(
      store.db.transaction(async (tx) => {
        await tx.query("INSERT INTO octo_processed_events (event_key, expires_at) VALUES ('tx', now())");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const { rows } = await store.db.query("SELECT * FROM octo_processed_events WHERE event_key = 'tx'");
    expect(rows).toEqual([]);
  });
});

describe("embedded PGlite data directory", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "octo-store-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps rows across a reopen", async () => {
    const first = await openStore({ dataDir: dir });
    await first.processedEvents.claim("kept");
    await first.close();
    const second = await openStore({ dataDir: dir });
    expect(await second.processedEvents.claim("kept")).toBe(false);
    await second.close();
  });

  it("refuses a second opener of the same directory with a clear error", async () => {
    const first = await openStore({ dataDir: dir });
    try {
      const error = await openStore({ dataDir: dir }).catch((e: unknown) => e);
      expect(isOctoError(error, "store_locked")).toBe(true);
      expect((error as Error).message).toContain("OCTO_DATA_DIR");
    } finally {
      await first.close();
    }
  });
});
