import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApiAdapter, type HttpApiAdapter } from "../../src/adapters/http/api/index.js";
import { DEFAULT_BODY_LIMIT_BYTES, type MountedApp } from "../../src/adapters/http/index.js";
import { loadConfig } from "../../src/config.js";
import { type ConversationService, storeLedger } from "../../src/conversations/index.js";
import { openTestStore, type TestStore } from "../support/databases.js";
import type { LogLine } from "../support/logs.js";
import { createTestService } from "../support/service.js";
import { CapturedRoutes, errorLogger, FUZZ_RUNS, huge, watchUnhandled, writtenRows } from "./support.js";

/**
 * The HTTP API's Hono app called in process (app.fetch, no socket) with bodies that are wrong by
 * construction: every one gets a 4xx with a JSON error, never a 500, and the store is left as it was.
 */
const TOKEN = "fuzz-token-0123456789abcdef";
let store: TestStore;
let service: ConversationService;
let adapter: HttpApiAdapter;
let app: MountedApp;
let session: string;
const logs: LogLine[] = [];

function request(method: string, path: string, body: string | undefined, contentType = "application/json") {
  return app.fetch(
    new Request(`http://fuzz.invalid/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        "x-octo-user": "alice",
        ...(body === undefined ? {} : { "content-type": contentType }),
      },
      ...(body === undefined ? {} : { body }),
    }),
    {},
  );
}

beforeAll(async () => {
  store = await openTestStore("pglite");
  service = createTestService(store).service;
  const routes = new CapturedRoutes();
  const created = createHttpApiAdapter({
    config: loadConfig({ OCTO_API_TOKEN: TOKEN, OCTO_DATA_DIR: "/tmp/octo-api-fuzz" }),
    conversations: service,
    ledger: storeLedger(store),
    logger: errorLogger(logs),
    http: routes,
  });
  if (!created) throw new Error("the API adapter is not configured");
  adapter = created;
  await adapter.start();
  await service.start();
  const mounted = [...routes.apps.values()][0];
  if (!mounted) throw new Error("the API adapter mounted no app");
  app = mounted;
  // One real session, so bodies sent to it reach validation rather than stopping at a 404.
  const opened = await request("POST", "/sessions", JSON.stringify({ title: "fuzz" }));
  expect(opened.status).toBe(201);
  session = ((await opened.json()) as { id: string }).id;
});

afterAll(async () => {
  await service?.close();
  await adapter?.stop();
  await store?.destroy();
});

const anyValue = fc.jsonValue({ maxDepth: 3 });
const wrongType = (allowed: (value: unknown) => boolean) => anyValue.filter((value) => !allowed(value));
const isString = (value: unknown) => typeof value === "string";

/** Each field the API knows, with a value of the wrong type or out of range. */
const badField = fc.oneof(
  fc.record({ title: fc.oneof(wrongType(isString), fc.constant("t".repeat(201))) }),
  fc.record({ metadata: wrongType((v) => typeof v === "object" && v !== null && !Array.isArray(v)) }),
  fc.record({
    status: fc.oneof(fc.constantFrom("active", "waiting_human", "", "COMPLETED"), wrongType(isString)),
  }),
  fc.record({ text: fc.oneof(fc.constant(""), wrongType(isString)) }),
  fc.record({
    text: fc.constant("hi"),
    format: fc.oneof(
      fc.string({ maxLength: 10 }).filter((f) => !["chat", "report", "slides", "table", "json"].includes(f)),
      wrongType(isString),
    ),
  }),
  fc.record({
    text: fc.constant("hi"),
    files: fc.oneof(
      wrongType(Array.isArray),
      fc.array(
        wrongType((v) => typeof v === "object" && v !== null),
        { minLength: 1, maxLength: 3 },
      ),
    ),
  }),
  fc.record({
    decision: fc.oneof(
      fc.string({ maxLength: 10 }).filter((d) => !["approve", "reject", "edit"].includes(d)),
      wrongType(isString),
    ),
  }),
  fc.record({ decision: fc.constant("edit"), edited_task: fc.constantFrom(undefined, "", "   ") }),
  fc.record({
    turns: fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ noInteger: true }),
      wrongType((v) => typeof v === "number"),
    ),
  }),
  fc.record({ checkpoint_id: fc.oneof(fc.constant(""), fc.constant("c".repeat(101)), wrongType(isString)) }),
);

/** A body no route accepts: unknown keys on strict schemas, wrong types, not an object, not JSON. */
const badBody = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(badField, fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 3 }))
      .map(([bad, extra]) => JSON.stringify({ ...extra, ...bad })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }), anyValue)
      .map(([key, value]) => JSON.stringify({ [`zz_${key}`]: value })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.array(anyValue), fc.integer(), fc.string(), fc.constant(null), fc.boolean())
      .map((v) => JSON.stringify(v)),
  },
  {
    weight: 2,
    arbitrary: fc.string({ maxLength: 100 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
  },
  { weight: 1, arbitrary: fc.constant(JSON.stringify({ title: huge(DEFAULT_BODY_LIMIT_BYTES + 10) })) },
);

const target = fc.oneof(
  fc.constant({ method: "POST", path: "/sessions" }),
  fc.constant({ method: "PATCH", path: "/sessions/{id}" }),
  fc.constant({ method: "POST", path: "/sessions/{id}/messages" }),
  fc.constant({ method: "POST", path: "/sessions/{id}/rewind" }),
  fc.constant({ method: "POST", path: "/approvals/{id}" }),
);
const id = fc.oneof(
  { weight: 3, arbitrary: fc.constant("<session>") },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 120 }).map(encodeURIComponent) },
);

describe("HTTP API bodies under fuzzing", () => {
  it("answers every bad body with a 4xx JSON error, never a 500, writing nothing", async () => {
    const unhandled = watchUnhandled();
    const rows = await writtenRows(store);
    await fc.assert(
      fc.asyncProperty(
        target,
        id,
        badBody,
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
        async (route, where, body, contentType) => {
          const path = route.path.replace("{id}", where === "<session>" ? session : where);
          const response = await request(route.method, path, body, contentType);
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          const answer = (await response.json()) as { error?: unknown };
          expect(answer.error).toBeTypeOf("string");
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    unhandled.stop();
    expect(unhandled.rejections).toEqual([]);
    expect(await writtenRows(store)).toEqual(rows);
    expect(logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});
