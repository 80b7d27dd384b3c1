import { randomBytes } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { openStore, type Store } from "../../src/store/index.js";
import { workerSchemaFor } from "../../src/store/queue/graphile-sql.js";

export type DatabaseKind = "pglite" | "postgres";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";

let probe: Promise<string | undefined> | undefined;

/** The Postgres server tests may use: POSTGRES_URL, else the local one when it answers. */
export function postgresUrl(): Promise<string | undefined> {
  probe ??= (async () => {
    const url = process.env.POSTGRES_URL || DEFAULT_URL;
    const { hostname, port } = new URL(url);
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: hostname, port: Number(port || 5432) });
      socket.setTimeout(1000);
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("timeout", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", () => resolve(false));
    });
    if (!reachable) {
      console.warn(
        `[test] Postgres does not answer at ${hostname}:${port || 5432}; the "postgres" cases run on PGlite`,
      );
      return undefined;
    }
    return url;
  })();
  return probe;
}

export const DATABASE_KINDS: readonly DatabaseKind[] = ["pglite", "postgres"];

export interface TestStore extends Store {
  kind: DatabaseKind;
  /** Closes the store and removes everything it created. */
  destroy(): Promise<void>;
}

/**
 * A fresh, isolated store: in-memory PGlite, or a throw-away schema on the Postgres server (falling back
 * to PGlite, with a warning, when no server answers). `dataDir` makes the PGlite one persistent.
 */
export async function openTestStore(
  kind: DatabaseKind,
  options: { schema?: string; dataDir?: string } = {},
): Promise<TestStore> {
  const url = kind === "postgres" ? await postgresUrl() : undefined;
  const schema = options.schema ?? (url ? `octo_test_${randomBytes(5).toString("hex")}` : "public");
  const store = await openStore({
    postgresUrl: url,
    schema,
    dataDir: url ? undefined : options.dataDir,
    poolMax: 5,
  });
  return {
    ...store,
    kind,
    async destroy() {
      await store.close();
      if (url) await dropSchema(url, schema);
    },
  };
}

/** Drops a store's schema and the job queue's beside it (graphile-worker keeps its own schema). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${workerSchemaFor(schema)}" CASCADE`);
  } finally {
    await client.end();
  }
}
