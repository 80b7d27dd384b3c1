import { randomBytes } from "node:crypto";
import { runMigrations } from "graphile-worker";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dropSchema } from "../../support/databases.js";
import { GRAPHILE_URL, type QueueFixture, recorder, sleep, TARGETS, until } from "./harness.js";

const target = TARGETS.find((candidate) => candidate.name === "graphile-worker on Postgres")!;
const suite = target.unavailable ? describe.skip : describe;

// graphile-worker announces migrations on a database-wide channel; a fresh graphile schema elsewhere in
// the database (another deployment, a test) used to shut our worker pool down for good.
suite("graphile-worker next to another graphile schema", () => {
  let fx: QueueFixture;
  const other = `octo_other_${randomBytes(4).toString("hex")}_worker`;
  beforeEach(async () => {
    fx = await target.open();
  });
  afterEach(async () => {
    await fx.destroy();
    await dropSchema(GRAPHILE_URL!, other);
  });

  it("keeps taking jobs after another schema in the database is migrated", async () => {
    const queue = await fx.openQueue();
    const rec = recorder(async () => "done");
    await queue.start(rec.handler);
    await queue.enqueue({ threadKey: "t1", kind: "turn", payload: { name: "before" } });
    await until("the first job ran", () => rec.finished().length === 1, 5_000);

    const pool = new pg.Pool({ connectionString: GRAPHILE_URL, max: 2 });
    // graphile-worker warns about a pool without error handlers (and installs its own).
    const lost = (error: Error) => console.warn(`migration pool: ${error.message}`);
    pool.on("error", lost);
    pool.on("connect", (client) => client.on("error", lost));
    try {
      await runMigrations({ pgPool: pool, schema: other });
    } finally {
      await pool.end();
    }
    // The notice reaches our listener within a moment; a pool that shut down takes nothing after it.
    await sleep(500);
    await queue.enqueue({ threadKey: "t2", kind: "turn", payload: { name: "after" } });
    await until("the job added after the other migration ran", () => rec.finished().length === 2, 5_000);
    expect(rec.finished().map((span) => span.job.payload.name)).toEqual(["before", "after"]);
  });
});
