import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { dropSchema, postgresUrl } from "../support/databases.js";

describe("migrations on the Postgres server", () => {
  // PGlite has one connection in one process, so it cannot show replicas racing each other. A pool of
  // one connection (OCTO_PG_POOL_MAX=1) also shows the set-up never waits for a second one.
  it("lets four replicas start together on a fresh schema, each time", async () => {
    const url = await postgresUrl();
    if (!url) {
      console.warn("[test] skipped: replicas racing through migrations need the Postgres server");
      return;
    }
    for (let round = 0; round < 3; round += 1) {
      const schema = `octo_test_${randomBytes(5).toString("hex")}`;
      try {
        const opened = await Promise.allSettled(
          Array.from({ length: 4 }, () => openStore({ postgresUrl: url, schema, poolMax: 1 })),
        );
        await Promise.all(
          opened.map((result) => (result.status === "fulfilled" ? result.value.close() : null)),
        );
        const failures = opened.flatMap((result) =>
          result.status === "rejected" ? [(result.reason as Error).message] : [],
        );
        expect(failures).toEqual([]);
      } finally {
        await dropSchema(url, schema);
      }
    }
  });
});
