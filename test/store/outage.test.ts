import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { HttpHost } from "../../src/adapters/http/index.js";
import type { RunEvent } from "../../src/conversations/index.js";
import { checkReadiness, databaseCheck, type ReadinessReport } from "../../src/health/index.js";
import { t } from "../../src/i18n/index.js";
import { openJobQueue, openStore, type Store } from "../../src/store/index.js";
import { dropSchema, postgresUrl, type TestStore } from "../support/databases.js";
import { capturingLogger, type LogLine } from "../support/logs.js";
import { PgProxy } from "../support/pg-proxy.js";
import { createTestService } from "../support/service.js";

const SERVER = await postgresUrl();

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A Postgres outage, simulated by a TCP proxy in front of the shared server that the test cuts (every
 * connection dropped, new ones refused) and restores on the same port: the bot is told nothing, keeps
 * running, and must recover by itself.
 */
describe("a Postgres outage", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  });

  it.skipIf(!SERVER)(
    "makes /readyz 503, holds a message sent meanwhile with a notice, and completes it once the server is back (needs the Postgres server; skipped when it does not answer)",
    async () => {
      const server = SERVER as string;
      const proxy = await PgProxy.start(server);
      cleanups.push(() => proxy.close());
      const url = proxy.urlFor(server);
      const schema = `octo_test_${randomBytes(5).toString("hex")}`;
      cleanups.push(() => dropSchema(server, schema));
      const logs: LogLine[] = [];
      const logger = capturingLogger(logs);
      const store: Store = await openStore({ postgresUrl: url, schema, poolMax: 5, logger });
      cleanups.push(() => store.close());
      const queue = await openJobQueue({
        db: store.db,
        postgresUrl: url,
        schema,
        concurrency: 4,
        logger,
        workerId: "outage",
        sweepIntervalMs: 300,
      });
      const testStore: TestStore = { ...store, kind: "postgres", destroy: () => store.close() };
      const { service } = createTestService(testStore, { queue });
      cleanups.push(() => service.close());
      const host = new HttpHost({
        host: "127.0.0.1",
        port: 0,
        logger,
        readiness: () => checkReadiness([databaseCheck(store.db)]),
      });
      cleanups.push(() => host.close());
      await host.listen();
      const ready = async () => {
        const response = await fetch(`${host.url}/readyz`);
        return { status: response.status, body: (await response.json()) as ReadinessReport };
      };
      const send = (threadKey: string, text: string) => {
        const events: RunEvent[] = [];
        const done = (async () => {
          for await (const event of service.send({ platform: "console", threadKey, user: "alice", text }))
            events.push(event);
        })();
        return { events, done };
      };

      const before = send("console:before", "search for kelp");
      await before.done;
      expect(before.events.some((event) => event.type === "result")).toBe(true);
      expect((await ready()).status).toBe(200);

      await proxy.cut();
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.body.checks.database?.ok).toBe(false);
      // The process is alive: nothing to restart.
      expect((await fetch(`${host.url}/healthz`)).status).toBe(200);

      const during = send("console:during", "search for sea urchins");
      const notice = t("en", "status.store_retrying");
      await until("the person was told the request waits", () =>
        during.events.some((event) => event.type === "status" && event.message === notice),
      );
      expect(during.events.some((event) => event.type === "error")).toBe(false);

      await proxy.restore();
      await during.done;
      expect(during.events.some((event) => event.type === "error")).toBe(false);
      const result = during.events.find((event) => event.type === "result");
      expect(result?.type === "result" && JSON.stringify(result.result)).toContain("sea urchins");
      await until("/readyz is 200 again", async () => (await ready()).status === 200);
      expect((await service.history("console:during")).session?.status).toBe("completed");
      // The pool's lost connections were reported, not swallowed.
      expect(logs.some((line) => line.msg === "Postgres connection lost; the pool reconnects")).toBe(true);
    },
    90_000,
  );
});
