import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BODY_LIMIT_BYTES, type NodeListener } from "../../src/adapters/http/index.js";
import { createSlackAdapter, type SlackAdapter } from "../../src/adapters/slack/index.js";
import { loadConfig } from "../../src/config.js";
import { type ConversationService, storeLedger } from "../../src/conversations/index.js";
import { slack } from "../../src/renderers/index.js";
import { FAST } from "../adapters/slack/harness.js";
import { SlackEmulator } from "../emulators/slack/index.js";
import { signedHeaders } from "../emulators/slack/signing.js";
import { openTestStore, type TestStore } from "../support/databases.js";
import type { LogLine } from "../support/logs.js";
import { createTestService } from "../support/service.js";
import {
  CapturedRoutes,
  callNodeListener,
  errorLogger,
  FUZZ_RUNS,
  huge,
  watchUnhandled,
  writtenRows,
} from "./support.js";

/**
 * Bolt's real HTTPReceiver and the adapter's listeners, called in process with what an attacker or a
 * confused proxy could send: every badly signed request gets 401, every signed one is acknowledged
 * (never a 5xx, never an unhandled rejection, never an error logged), and none that is not a
 * well-formed request writes anything to the store or calls Slack.
 */
const TEAM = "T0OCTO";
const USER = "U0ALICE";
const CHANNEL = "C0GENERAL";

let emulator: SlackEmulator;
let store: TestStore;
let service: ConversationService;
let adapter: SlackAdapter;
let listener: NodeListener;
const logs: LogLine[] = [];

beforeAll(async () => {
  emulator = await SlackEmulator.start({
    socketPingIntervalMs: 0,
    seed: { users: [{ id: USER, name: "alice", locale: "en-US" }] },
  });
  store = await openTestStore("pglite");
  service = createTestService(store).service;
  const routes = new CapturedRoutes();
  const created = createSlackAdapter(
    {
      config: loadConfig({
        SLACK_BOT_TOKEN: emulator.botToken,
        SLACK_API_URL: emulator.apiUrl,
        SLACK_SIGNING_SECRET: emulator.signingSecret,
        OCTO_LOG_LEVEL: "info",
      }),
      conversations: service,
      ledger: storeLedger(store),
      logger: errorLogger(logs),
      http: routes,
    },
    FAST,
  );
  if (!created) throw new Error("no Slack adapter");
  adapter = created;
  await adapter.start();
  await service.start();
  const mounted = routes.nodes.get("POST /slack/events");
  if (!mounted) throw new Error("the Slack adapter mounted no events endpoint");
  listener = mounted;
});

afterAll(async () => {
  await service?.close();
  await adapter?.stop();
  await emulator?.close();
  await store?.destroy();
});

type Encoding = "json" | "form";

function post(body: string, encoding: Encoding, headers: Record<string, string>) {
  return callNodeListener(listener, {
    path: "/slack/events",
    body,
    headers: {
      "content-type": encoding === "json" ? "application/json" : "application/x-www-form-urlencoded",
      ...headers,
    },
  });
}

function signed(body: string, encoding: Encoding) {
  return post(body, encoding, { ...signedHeaders(emulator.signingSecret, body) });
}

/** Acknowledged, or refused as too large when over the cap every route shares (Bolt's bodyLimit). */
function acked(body: string): number {
  return Buffer.byteLength(body) > DEFAULT_BODY_LIMIT_BYTES ? 413 : 200;
}

/** Values of every JSON type, some of them very large: what a field of the wrong type may hold. */
const anyValue = fc.oneof(
  { weight: 200, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(huge(400_000), huge(5_000, "\u0000\uffff\ud800"), -0, 1e308) },
);
const someFields = fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 6 });
const text = fc.oneof(
  { weight: 20, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom(huge(100_000), "", " ", "<@U0OCTOBOT>") },
);

/** A body as it could arrive: an event, a command, an interaction, or anything at all. */
const anyBody = fc.oneof(
  fc
    .tuple(fc.jsonValue({ maxDepth: 4 }), fc.constant<Encoding>("json"))
    .map(([v, e]) => [JSON.stringify(v), e] as const),
  fc.tuple(fc.string({ maxLength: 300 }), fc.constantFrom<Encoding>("json", "form")),
  fc.tuple(someFields, fc.constant<Encoding>("form")).map(([fields, e]) => [formOf(fields), e] as const),
);

function formOf(fields: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields))
    form.set(key, typeof value === "string" ? value : JSON.stringify(value ?? null));
  return form.toString();
}

/**
 * Ways a signature can be wrong; each must be refused before the body is looked at. (A timestamp in the
 * future signed with the real secret is authentic, so Bolt takes it, as Slack's own checks do.)
 */
const spoiled = fc.oneof(
  fc.record({ kind: fc.constant("secret" as const), secret: fc.string({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant("age" as const), seconds: fc.integer({ min: 5 * 60 + 5, max: 10 ** 9 }) }),
  fc.record({ kind: fc.constant("unsigned" as const) }),
  fc.record({ kind: fc.constant("no-timestamp" as const) }),
  fc.record({
    kind: fc.constant("garbage" as const),
    signature: fc.string({ maxLength: 80 }),
    timestamp: fc.string({ maxLength: 20 }),
  }),
  fc.record({
    kind: fc.constant("body-changed" as const),
    suffix: fc.string({ minLength: 1, maxLength: 10 }),
  }),
);

type Spoiling = typeof spoiled extends fc.Arbitrary<infer T> ? T : never;

function spoil(body: string, how: Spoiling): { body: string; headers: Record<string, string> } {
  const now = Date.now();
  switch (how.kind) {
    case "secret":
      return { body, headers: { ...signedHeaders(`${how.secret}x${emulator.signingSecret}`, body) } };
    case "age":
      return { body, headers: { ...signedHeaders(emulator.signingSecret, body, now - how.seconds * 1000) } };
    case "unsigned":
      return { body, headers: {} };
    case "no-timestamp": {
      const { "x-slack-signature": signature } = signedHeaders(emulator.signingSecret, body);
      return { body, headers: { "x-slack-signature": signature } };
    }
    case "garbage":
      return {
        body,
        headers: { "x-slack-signature": how.signature, "x-slack-request-timestamp": how.timestamp },
      };
    case "body-changed":
      return { body: body + how.suffix, headers: { ...signedHeaders(emulator.signingSecret, body) } };
  }
}

/** Checks after a batch of requests that should have had no effect: no rows, no Slack calls, no errors. */
async function expectNothingDone(rowsBefore: Record<string, number>, callsBefore: number) {
  await adapter.idle();
  expect(await writtenRows(store)).toEqual(rowsBefore);
  expect(emulator.calls.slice(callsBefore).map((call) => call.method)).toEqual([]);
  expect(logs.filter((line) => line.level >= 50)).toEqual([]);
}

describe("Slack HTTP intake under fuzzing", () => {
  it("refuses every badly signed request with 401 and does nothing", async () => {
    const unhandled = watchUnhandled();
    const rows = await writtenRows(store);
    const calls = emulator.calls.length;
    await fc.assert(
      fc.asyncProperty(anyBody, spoiled, async ([body, encoding], how) => {
        const request = spoil(body, how);
        const result = await post(request.body, encoding, request.headers);
        // The body is read (up to the cap) before its signature is checked.
        expect(result.status).toBe(acked(request.body) === 413 ? 413 : 401);
      }),
      { numRuns: FUZZ_RUNS },
    );
    unhandled.stop();
    expect(unhandled.rejections).toEqual([]);
    await expectNothingDone(rows, calls);
  });

  it("acknowledges every signed event callback that is not a request, and starts nothing", async () => {
    // Each case spoils one thing a request needs, so none of them may start a conversation.
    const notARequest = fc.oneof(
      fc.record({ type: fc.string({ maxLength: 20 }).filter((t) => t !== "app_mention" && t !== "message") }),
      fc.record({
        type: fc.constantFrom("app_mention", "message"),
        ts: anyValue.filter((v) => typeof v !== "string"),
      }),
      fc.record({
        type: fc.constantFrom("app_mention", "message"),
        channel: anyValue.filter((v) => typeof v !== "string"),
      }),
      fc.record({
        type: fc.constantFrom("app_mention", "message"),
        user: fc.constantFrom(undefined, 42, null, "", ["U1"]),
      }),
      fc.record({
        type: fc.constantFrom("app_mention", "message"),
        bot_id: fc.string({ minLength: 1, maxLength: 12 }),
      }),
      fc.record({
        type: fc.constant("message"),
        subtype: fc.constantFrom("message_changed", "channel_join", "bot_message", "message_deleted"),
      }),
      fc.record({
        type: fc.constant("message"),
        channel_type: fc.constant("channel"),
        thread_ts: fc.constant(undefined),
      }),
      fc.record({
        type: fc.constantFrom("app_mention", "message"),
        files: anyValue.filter((v) => !Array.isArray(v) && v !== undefined && v !== null),
      }),
    );
    const event = fc.tuple(someFields, notARequest, text).map(([extra, spoiler, body]) => ({
      ts: "1700000000.000100",
      channel: CHANNEL,
      user: USER,
      text: body,
      ...extra,
      ...spoiler,
    }));
    const callback = fc.record({
      type: fc.constant("event_callback"),
      team_id: fc.oneof(fc.constant(TEAM), anyValue),
      event_id: fc.oneof(fc.string({ maxLength: 20 }), anyValue),
      authorizations: fc.oneof(
        fc.constant([{ team_id: TEAM, user_id: "U0OCTOBOT", is_bot: true }]),
        anyValue,
      ),
      event: fc.oneof({ weight: 9, arbitrary: event }, { weight: 1, arbitrary: anyValue }),
    });
    const unhandled = watchUnhandled();
    const rows = await writtenRows(store);
    const calls = emulator.calls.length;
    await fc.assert(
      fc.asyncProperty(callback, async (body) => {
        const raw = JSON.stringify(body);
        expect((await signed(raw, "json")).status).toBe(acked(raw));
      }),
      { numRuns: FUZZ_RUNS },
    );
    unhandled.stop();
    expect(unhandled.rejections).toEqual([]);
    await expectNothingDone(rows, calls);
  });

  it("acknowledges every signed command missing who or where it came from, and starts nothing", async () => {
    const fields = fc
      .record({
        command: fc.oneof(fc.constant("/octo"), fc.string({ maxLength: 30 })),
        text,
        team_id: fc.constantFrom(TEAM, undefined, ""),
        channel_id: fc.constantFrom(CHANNEL, undefined, ""),
        user_id: fc.constantFrom(USER, undefined, ""),
        trigger_id: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(undefined)),
        extra: someFields,
      })
      .filter((f) => !f.team_id || !f.channel_id || !f.user_id)
      .map(({ extra, ...known }) => {
        const form: Record<string, unknown> = { ...extra };
        for (const [key, value] of Object.entries(known)) if (value !== undefined) form[key] = value;
        return formOf(form);
      });
    const unhandled = watchUnhandled();
    const rows = await writtenRows(store);
    const calls = emulator.calls.length;
    await fc.assert(
      fc.asyncProperty(fields, async (body) => {
        expect((await signed(body, "form")).status).toBe(acked(body));
      }),
      { numRuns: FUZZ_RUNS },
    );
    unhandled.stop();
    expect(unhandled.rejections).toEqual([]);
    await expectNothingDone(rows, calls);
  });

  it("acknowledges every signed click and submission that is malformed or names nothing, writing nothing", async () => {
    const actionIds = [...Object.values(slack.SLACK_ACTIONS), slack.SLACK_VIEW_RUN_ACTION];
    const click = fc.record({
      type: fc.constant("block_actions"),
      user: fc.oneof(fc.constant({ id: USER, team_id: TEAM }), anyValue),
      team: fc.oneof(fc.constant({ id: TEAM }), anyValue),
      trigger_id: fc.oneof(fc.string({ maxLength: 30 }), anyValue),
      container: fc.oneof(
        fc.record({ channel_id: fc.constant(CHANNEL), message_ts: fc.string({ maxLength: 20 }) }),
        anyValue,
      ),
      actions: fc.array(
        fc.record({
          action_id: fc.constantFrom(...actionIds),
          value: fc.oneof(fc.string({ maxLength: 60 }), anyValue),
          block_id: fc.string({ maxLength: 10 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      extra: someFields,
    });
    const submission = fc.record({
      type: fc.constant("view_submission"),
      user: fc.oneof(fc.constant({ id: USER, team_id: TEAM }), anyValue),
      view: fc.record({
        callback_id: fc.constant(slack.EDIT_CALLBACK_ID),
        private_metadata: fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        state: fc.oneof(anyValue, fc.constant({ values: {} })),
      }),
    });
    const payload = fc.oneof(click, submission).map(({ extra, ...known }: Record<string, unknown>) => ({
      ...(extra as object | undefined),
      ...known,
    }));
    const unhandled = watchUnhandled();
    const rows = await writtenRows(store);
    await fc.assert(
      fc.asyncProperty(payload, async (body) => {
        const raw = new URLSearchParams({ payload: JSON.stringify(body) }).toString();
        expect((await signed(raw, "form")).status).toBe(acked(raw));
      }),
      { numRuns: FUZZ_RUNS },
    );
    unhandled.stop();
    expect(unhandled.rejections).toEqual([]);
    await adapter.idle();
    // A well-formed click on an approval that does not exist gets a polite ephemeral note, never a write.
    expect(await writtenRows(store)).toEqual(rows);
    expect(logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});
