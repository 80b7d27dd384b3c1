// The embedded database in its own thread: PGlite is WebAssembly that runs synchronously for long
// stretches, which on the main thread would delay everything else (Slack acknowledgements included).
// Plain JavaScript so it loads the same under tsx, vitest and plain node. Requests arrive one at a
// time: the main thread serializes them, as PGlite has a single connection.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
// Trigram search for the knowledge base (its migration creates the extension; loading it is ours).
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

const { dataDir, schema } = workerData;

function describe(error) {
  const out = { message: String(error?.message ?? error), name: String(error?.name ?? "Error") };
  for (const key of ["code", "severity", "detail", "hint", "position", "table", "column", "constraint"]) {
    if (error && error[key] !== undefined) out[key] = error[key];
  }
  return out;
}

let db;
try {
  db = await PGlite.create({ dataDir: dataDir ?? undefined, extensions: { pg_trgm } });
  await db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}", public;`);
  parentPort.postMessage({ type: "ready" });
} catch (error) {
  parentPort.postMessage({ type: "failed", error: describe(error) });
}

parentPort.on("message", async (request) => {
  try {
    if (request.op === "close") {
      await db?.close();
      parentPort.postMessage({ type: "reply", id: request.id });
      return;
    }
    const result = await db.query(request.sql, request.params);
    parentPort.postMessage({
      type: "reply",
      id: request.id,
      rows: result.rows,
      affectedRows: result.affectedRows ?? 0,
    });
  } catch (error) {
    parentPort.postMessage({ type: "reply", id: request.id, error: describe(error) });
  }
});
