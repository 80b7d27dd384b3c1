import { Events } from "discord.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERACTIONS_PATH } from "../../src/adapters/discord/http-interactions.js";
import { createDiscordAdapter, type DiscordAdapter } from "../../src/adapters/discord/index.js";
import type { RawRouteHandler } from "../../src/adapters/http/index.js";
import { loadConfig } from "../../src/config.js";
import { type ConversationService, storeLedger } from "../../src/conversations/index.js";
import { FAST } from "../adapters/discord/harness.js";
import { applicationKey, signatureHeaders, unixSeconds } from "../adapters/discord/signed.js";
import { ALICE, BOT_USER_ID, GENERAL } from "../emulators/discord/fixtures.js";
import { DiscordEmulator } from "../emulators/discord/index.js";
import { openTestStore, type TestStore } from "../support/databases.js";
import type { LogLine } from "../support/logs.js";
import { createTestService } from "../support/service.js";
import { CapturedRoutes, errorLogger, FUZZ_RUNS, huge, watchUnhandled, writtenRows } from "./support.js";

/**
 * The Discord adapter's two doors, fuzzed in process: the HTTP interactions endpoint (Ed25519-signed or
 * not) and the gateway's raw MESSAGE_CREATE / INTERACTION_CREATE dispatches, as discord.js emits them.
 * Nothing malformed may crash, reject unhandled, log an error or write to the store.
 */
const key = applicationKey();
let emulator: DiscordEmulator;
let store: TestStore;
let service: ConversationService;
let adapter: DiscordAdapter;
let endpoint: RawRouteHandler;
const logs: LogLine[] = [];

beforeAll(async () => {
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 5_000 });
  store = await openTestStore("pglite");
  service = createTestService(store).service;
  const routes = new CapturedRoutes();
  const created = createDiscordAdapter(
    {
      config: loadConfig({
        DISCORD_TOKEN: emulator.token,
        DISCORD_API_URL: emulator.apiUrl,
        DISCORD_PUBLIC_KEY: key.publicKeyHex,
        OCTO_LOG_LEVEL: "info",
      }),
      conversations: service,
      ledger: storeLedger(store),
      logger: errorLogger(logs),
      http: routes,
    },
    FAST,
  );
  if (!created) throw new Error("no Discord adapter");
  adapter = created;
  await adapter.start();
  await service.start();
  const mounted = routes.raw.get(`POST ${INTERACTIONS_PATH}`);
  if (!mounted) throw new Error("the Discord adapter mounted no interactions endpoint");
  endpoint = mounted;
});

afterAll(async () => {
  await service?.close();
  await adapter?.stop();
  await emulator?.close();
  await store?.destroy();
});

async function call(body: string, headers: Record<string, string>) {
  const response = await endpoint({
    method: "POST",
    url: new URL(`http://fuzz.invalid${INTERACTIONS_PATH}`),
    headers: new Headers({ "content-type": "application/json", ...headers }),
    body: Buffer.from(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const anyValue = fc.oneof(
  { weight: 200, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(huge(300_000), -1, 1e308, "") },
);
const someFields = fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 6 });
const snowflake = fc.bigInt({ min: 10n ** 17n, max: 10n ** 19n }).map(String);

/** What discord.js's gateway client hands over, through the adapter's Events.Raw listener. */
function dispatch(t: string, d: unknown): void {
  const client = (adapter as unknown as { client: { emit(event: string, packet: unknown): boolean } }).client;
  client.emit(Events.Raw, { op: 0, s: 1, t, d });
}

async function expectNothingWritten(rowsBefore: Record<string, number>) {
  await adapter.idle();
  const rows = await writtenRows(store);
  // Which conversation was started, and from what request, says which input got through.
  const started = await store.db.query("SELECT thread_id, requester, title FROM octo_sessions");
  expect({ rows, started: rows.octo_sessions === rowsBefore.octo_sessions ? [] : started.rows }).toEqual({
    rows: rowsBefore,
    started: [],
  });
  expect(logs.filter((line) => line.level >= 50)).toEqual([]);
}

describe("Discord intake under fuzzing", () => {
  it("refuses every badly signed interaction with 401 and a JSON error, doing nothing", async () => {
    const other = applicationKey();
    const spoiled = fc.oneof(
      fc.constant({ kind: "other-key" as const }),
      fc.constant({ kind: "unsigned" as const }),
      fc.record({ kind: fc.constant("stale" as const), seconds: fc.integer({ min: 3_600, max: 10 ** 9 }) }),
      fc.record({
        kind: fc.constant("garbage" as const),
        signature: fc.string({ maxLength: 140 }),
        timestamp: fc.string({ maxLength: 20 }),
      }),
      fc.record({
        kind: fc.constant("hex" as const),
        signature: fc
          .uint8Array({ minLength: 64, maxLength: 64 })
          .map((bytes) => Buffer.from(bytes).toString("hex")),
      }),
      fc.record({
        kind: fc.constant("body-changed" as const),
        suffix: fc.string({ minLength: 1, maxLength: 8 }),
      }),
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
    );
    const unhandled = watchUnhandled();
    const rows = await writtenRows(store);
    const calls = emulator.calls.entries.length;
    await fc.assert(
      fc.asyncProperty(body, spoiled, async (raw, how) => {
        let sent = raw;
        let headers: Record<string, string>;
        if (how.kind === "other-key") headers = signatureHeaders(other.privateKey, raw);
        else if (how.kind === "unsigned") headers = {};
        else if (how.kind === "stale")
          headers = signatureHeaders(key.privateKey, raw, unixSeconds(-how.seconds));
        else if (how.kind === "garbage")
          headers = { "x-signature-ed25519": how.signature, "x-signature-timestamp": how.timestamp };
        else if (how.kind === "hex")
          headers = { "x-signature-ed25519": how.signature, "x-signature-timestamp": unixSeconds() };
        else {
          headers = signatureHeaders(key.privateKey, raw);
          sent = raw + how.suffix;
        }
        const result = await call(sent, headers);
        expect(result).toEqual({ status: 401, body: { error: "invalid_request_signature" } });
      }),
      { numRuns: FUZZ_RUNS },
    );
    unhandled.stop();
    expect(unhandled.rejections).toEqual([]);
    expect(emulator.calls.entries.length).toBe(calls);
    await expectNothingWritten(rows);
  });

  it("answers every signed interaction of the wrong shape with 400 or a polite response, writing nothing", async () => {
    const command = fc.record({
      name: fc.oneof(fc.constant("octo"), fc.string({ maxLength: 12 })),
      type: anyValue,
      options: fc.oneof(
        anyValue,
        fc.array(
          fc.record({
            type: anyValue,
            name: fc.constantFrom("ask", "history", "rewind", "x"),
            options: anyValue,
            value: anyValue,
          }),
        ),
      ),
    });
    const component = fc.record({
      custom_id: fc.oneof(
        fc.constantFrom("octo:approve:ap_1", "octo:reject:", "octo:retry:x", "octo:feedback:up:r1"),
        fc.string({ maxLength: 40 }),
        anyValue,
      ),
      component_type: anyValue,
      values: anyValue,
    });
    const interaction = fc.record({
      id: fc.oneof({ weight: 5, arbitrary: snowflake }, { weight: 1, arbitrary: anyValue }),
      application_id: fc.oneof({ weight: 5, arbitrary: snowflake }, { weight: 1, arbitrary: anyValue }),
      type: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(2, 3, 4, 5) },
        { weight: 1, arbitrary: anyValue },
      ),
      token: fc.oneof(
        { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
        { weight: 1, arbitrary: anyValue },
      ),
      guild_id: fc.oneof(fc.constant(undefined), snowflake, anyValue),
      channel_id: fc.oneof(fc.constant(GENERAL.id), anyValue),
      locale: fc.oneof(fc.constantFrom("en-US", "ko"), anyValue),
      member: fc.oneof(
        fc.constant({ user: { id: ALICE.id, username: "alice" }, roles: [], permissions: "0" }),
        anyValue,
      ),
      user: anyValue,
      message: anyValue,
      data: fc.oneof(command, component, anyValue),
      extra: someFields,
    });
    const unhandled = watchUnhandled();
    const rows = await writtenRows(store);
    await fc.assert(
      fc.asyncProperty(interaction, async ({ extra, ...known }) => {
        const raw = JSON.stringify({ ...extra, ...known });
        const result = await call(raw, signatureHeaders(key.privateKey, raw));
        expect([200, 400]).toContain(result.status);
        expect(result.body).toBeTypeOf("object");
      }),
      { numRuns: FUZZ_RUNS },
    );
    unhandled.stop();
    expect(unhandled.rejections).toEqual([]);
    await expectNothingWritten(rows);
  });

  it("ignores every gateway dispatch of the wrong shape or from no person, writing nothing", async () => {
    const base = {
      id: "1500000000000000001",
      channel_id: GENERAL.id,
      type: 0,
      content: `<@${BOT_USER_ID}> hi`,
    };
    const notFromAPerson = fc.oneof(
      fc.record({
        author: fc
          .oneof(anyValue, fc.constant(undefined))
          .filter((a) => typeof a !== "object" || a === null || Array.isArray(a)),
      }),
      fc.record({ author: fc.record({ id: fc.string({ maxLength: 20 }), bot: fc.constant(true) }) }),
      fc.record({
        author: fc.constant({ id: ALICE.id }),
        webhook_id: fc.string({ minLength: 1, maxLength: 20 }),
      }),
      fc.record({ author: fc.constant({ id: BOT_USER_ID }) }),
      fc.record({
        author: fc.constant({ id: ALICE.id }),
        type: fc.integer({ min: 1, max: 50 }).filter((t) => t !== 19),
      }),
      fc.record({ author: fc.constant({ id: ALICE.id }), id: anyValue.filter((v) => typeof v !== "string") }),
      fc.record({
        author: fc.constant({ id: ALICE.id }),
        channel_id: anyValue.filter((v) => typeof v !== "string"),
      }),
      fc.record({
        author: fc.constant({ id: ALICE.id }),
        mentions: anyValue.filter((v) => !Array.isArray(v) && v !== undefined && v !== null),
      }),
    );
    const message = fc
      .tuple(someFields, notFromAPerson, fc.oneof(fc.string({ maxLength: 100 }), anyValue))
      .map(([extra, spoiler, content]) => ({ ...base, content, ...extra, ...spoiler }));
    const packet = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.tuple(
          fc.constant("MESSAGE_CREATE"),
          fc.oneof({ weight: 9, arbitrary: message }, { weight: 1, arbitrary: anyValue }),
        ),
      },
      // An INTERACTION_CREATE without an id and token cannot be answered: only the log sees it.
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.constant("INTERACTION_CREATE"),
          fc.oneof(anyValue, fc.record({ type: anyValue, data: anyValue })),
        ),
      },
      { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 20 }), anyValue) },
    );
    const unhandled = watchUnhandled();
    const rows = await writtenRows(store);
    await fc.assert(
      fc.asyncProperty(packet, async ([t, d]: [string, unknown]) => {
        expect(() => dispatch(t, d)).not.toThrow();
        await adapter.idle();
      }),
      { numRuns: FUZZ_RUNS },
    );
    unhandled.stop();
    expect(unhandled.rejections).toEqual([]);
    await expectNothingWritten(rows);
  });
});
