import type { APIInteraction, APIInteractionResponse } from "discord.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  INTERACTIONS_PATH,
  type InteractionsEndpointOptions,
  mountInteractionsEndpoint,
} from "../../../src/adapters/discord/http-interactions.js";
import type {
  InteractionIntake,
  InteractionResponder,
} from "../../../src/adapters/discord/interaction-contract.js";
import { HttpHost } from "../../../src/adapters/http/index.js";
import { capturingLogger, type LogLine } from "../../support/logs.js";
import { FakeDiscordRest } from "./fake-rest.js";
import { applicationKey, postInteraction, signatureHeaders, unixSeconds } from "./signed.js";

const APP = "1100000000000000001";
const GUILD = "1100000000000000002";
const CHANNEL = "1100000000000000003";
const ALICE = "1100000000000000004";
const BOT_TOKEN = "test-bot-token.not-real.really";

function interaction(id: number, type: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `13000000000000000${String(id).padStart(2, "0")}`,
    application_id: APP,
    type,
    token: `interaction-token-${id}`,
    version: 1,
    guild_id: GUILD,
    channel_id: CHANNEL,
    locale: "en-US",
    member: { user: { id: ALICE, username: "alice" }, roles: [], permissions: "0" },
    ...extra,
  };
}

const ask = (id: number, extra: Record<string, unknown> = {}) =>
  interaction(id, 2, {
    data: {
      id: "1200000000000000001",
      name: "octo",
      type: 1,
      options: [{ type: 1, name: "ask", options: [{ type: 3, name: "request", value: "search for eels" }] }],
    },
    ...extra,
  });

const button = (id: number) =>
  interaction(id, 3, {
    message: { id: "1400000000000000001", channel_id: CHANNEL, content: "", embeds: [] },
    data: { custom_id: "octo:approve:ap_123", component_type: 2 },
  });

/** An intake the test scripts: each interaction waits for `behave`, which may respond or not. */
class ScriptedIntake implements InteractionIntake {
  readonly received: APIInteraction[] = [];
  /** Each responder call's outcome: "ok" or the error it rejected with. */
  readonly responderResults: Promise<unknown>[] = [];
  private readonly handled: Promise<void>[] = [];
  behave: (interaction: APIInteraction, respond: InteractionResponder) => Promise<void> = async () => {};

  handle(interaction: APIInteraction, respond: InteractionResponder): Promise<void> {
    this.received.push(interaction);
    const handled = this.behave(interaction, (response) => {
      const result = respond(response);
      this.responderResults.push(
        result.then(
          () => "ok",
          (error: Error) => error,
        ),
      );
      return result;
    });
    this.handled.push(handled.catch(() => undefined));
    return handled;
  }

  /** Resolves once every interaction handed over so far has been handled, with the responders' outcomes. */
  async settled(): Promise<unknown[]> {
    await Promise.all(this.handled);
    return Promise.all(this.responderResults);
  }
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe("Discord HTTP interactions endpoint", () => {
  const key = applicationKey();
  const logs: LogLine[] = [];
  let rest: FakeDiscordRest;
  let host: HttpHost | undefined;
  let intake: ScriptedIntake;

  beforeAll(async () => {
    rest = await FakeDiscordRest.start({ botToken: BOT_TOKEN, applicationId: APP });
    return () => rest.close();
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  async function endpoint(options: Partial<InteractionsEndpointOptions> = {}): Promise<string> {
    logs.length = 0;
    intake = new ScriptedIntake();
    const logger = capturingLogger(logs);
    host = new HttpHost({ host: "127.0.0.1", port: 0, logger, bodyLimitBytes: 8 * 1024 });
    mountInteractionsEndpoint(host.routes, {
      publicKey: key.publicKeyHex,
      intake,
      logger,
      apiUrl: rest.apiUrl,
      deferAfterMs: 100,
      ...options,
    });
    await host.listen();
    return host.routes.urlOf(INTERACTIONS_PATH) as string;
  }

  const signedPost = (url: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    return postInteraction(url, body, signatureHeaders(key.privateKey, body));
  };

  const refusals = () =>
    logs.filter((line) => line.msg === "Discord interaction refused").map((line) => line.reason);

  it("answers a signed PING with PONG, without the intake", async () => {
    const url = await endpoint();
    const response = await signedPost(url, { id: "1", application_id: APP, type: 1, token: "t", version: 1 });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ type: 1 });
    expect(intake.received).toEqual([]);
  });

  it("refuses bad, missing or malformed signatures, a tampered body and a stale timestamp with 401", async () => {
    const url = await endpoint();
    const body = JSON.stringify(ask(1));
    const otherKey = applicationKey();
    const good = signatureHeaders(key.privateKey, body);
    const tenMinutesAgo = unixSeconds(-600);
    const attempts = [
      postInteraction(url, body, signatureHeaders(otherKey.privateKey, body)),
      postInteraction(url, body, {}),
      postInteraction(url, body, { "x-signature-timestamp": good["x-signature-timestamp"] as string }),
      postInteraction(url, body, { ...good, "x-signature-ed25519": "zz-not-hex" }),
      postInteraction(url, body.replace("search for eels", "search for sharks"), good),
      postInteraction(url, body, signatureHeaders(key.privateKey, body, tenMinutesAgo)),
      postInteraction(url, body, { ...good, "x-signature-timestamp": tenMinutesAgo }),
    ];
    const responses = await Promise.all(attempts);
    expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    expect(await responses[0]?.json()).toEqual({ error: "invalid_request_signature" });
    expect(refusals().sort()).toEqual(
      [
        "bad_signature",
        "missing_headers",
        "missing_headers",
        "malformed_headers",
        "bad_signature",
        "stale_timestamp",
        "stale_timestamp",
      ].sort(),
    );
    expect(intake.received).toEqual([]);
  });

  it("refuses a signed body that is not an interaction with 400, and an oversized one with 413", async () => {
    const url = await endpoint();
    const notJson = "this is not json";
    expect((await postInteraction(url, notJson, signatureHeaders(key.privateKey, notJson))).status).toBe(400);
    expect((await signedPost(url, { hello: "world" })).status).toBe(400);
    const huge = ask(2, { padding: "x".repeat(10 * 1024) });
    expect((await signedPost(url, huge)).status).toBe(413);
    expect(intake.received).toEqual([]);
  });

  it("hands an interaction to the intake, whose first response is the HTTP response", async () => {
    const url = await endpoint();
    const reply: APIInteractionResponse = {
      type: 4,
      data: { content: "On it", allowed_mentions: { parse: [] } },
    };
    intake.behave = async (_interaction, respond) => respond(reply);
    const payload = ask(3);
    const response = await signedPost(url, payload);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(reply);
    expect(intake.received).toEqual([payload]);
    // A second first response is a bug in the intake: it is refused, not silently dropped.
    intake.behave = async (_interaction, respond) => {
      await respond({ type: 5 });
      await respond({ type: 4, data: { content: "again" } }).catch(() => undefined);
    };
    expect(await (await signedPost(url, ask(4))).json()).toEqual({ type: 5 });
    expect(await intake.settled()).toEqual([
      "ok",
      "ok",
      expect.objectContaining({ message: expect.stringMatching(/already has its first response/) }),
    ]);
    expect(rest.calls).toEqual([]);
  });

  it("defers a slow command by itself at the default deadline, then carries the late answer out", async () => {
    const url = await endpoint({ deferAfterMs: undefined });
    const slow = gate();
    intake.behave = async (_interaction, respond) => {
      await slow.wait;
      await respond({ type: 4, data: { content: "Here is the plan", tts: false, flags: 4096 } });
    };
    const response = await signedPost(url, ask(5));
    expect(await response.json()).toEqual({ type: 5 });
    expect(logs.some((line) => line.msg.startsWith("Discord intake slow to answer"))).toBe(true);
    slow.open();
    expect(await intake.settled()).toEqual(["ok"]);
    expect(rest.calls.slice(-1)).toEqual([
      {
        method: "PATCH",
        path: `/webhooks/${APP}/interaction-token-5/messages/@original`,
        body: { content: "Here is the plan" },
        authorization: undefined,
      },
    ]);
  });

  it("turns a late ephemeral answer into an ephemeral follow-up, and a late update into an edit", async () => {
    const url = await endpoint();
    const before = rest.calls.length;
    const slow = gate();
    intake.behave = async (interaction, respond) => {
      await slow.wait;
      if (interaction.type === 2) await respond({ type: 4, data: { content: "Only you", flags: 64 } });
      else await respond({ type: 7, data: { content: "Approved by alice", components: [] } });
    };
    const [command, click] = await Promise.all([signedPost(url, ask(6)), signedPost(url, button(7))]);
    expect(await command.json()).toEqual({ type: 5 });
    // A button's deferral leaves its message as it is (no "thinking…").
    expect(await click.json()).toEqual({ type: 6 });
    slow.open();
    expect(await intake.settled()).toEqual(["ok", "ok"]);
    const calls = rest.calls.slice(before).map((call) => [call.method, call.path, call.body]);
    expect(calls).toHaveLength(3);
    expect(calls).toContainEqual([
      "PATCH",
      `/webhooks/${APP}/interaction-token-7/messages/@original`,
      { content: "Approved by alice", components: [] },
    ]);
    const toCommand = calls.filter(([, path]) => String(path).includes("interaction-token-6"));
    expect(toCommand).toEqual([
      ["DELETE", `/webhooks/${APP}/interaction-token-6/messages/@original`, undefined],
      ["POST", `/webhooks/${APP}/interaction-token-6`, { content: "Only you", flags: 64 }],
    ]);
  });

  it("rejects a late response only a first callback can carry (a modal), sending nothing", async () => {
    const url = await endpoint();
    const before = rest.calls.length;
    const slow = gate();
    intake.behave = async (_interaction, respond) => {
      await slow.wait;
      await respond({ type: 9, data: { custom_id: "edit", title: "Edit", components: [] } }).catch(
        () => undefined,
      );
    };
    expect(await (await signedPost(url, button(8))).json()).toEqual({ type: 6 });
    slow.open();
    const [result] = await intake.settled();
    expect(result).toMatchObject({ code: "discord_late_response_refused" });
    expect(rest.calls.slice(before)).toEqual([]);
  });

  it("answers autocomplete with no suggestions when the intake is slow", async () => {
    const url = await endpoint();
    const slow = gate();
    intake.behave = () => slow.wait;
    const response = await signedPost(url, interaction(9, 4, { data: { name: "octo", options: [] } }));
    expect(await response.json()).toEqual({ type: 8, data: { choices: [] } });
    slow.open();
  });

  it("apologizes ephemerally, in the person's language, when the intake fails before answering", async () => {
    const url = await endpoint();
    intake.behave = async () => {
      throw new Error("intake bug");
    };
    const english = await (await signedPost(url, ask(10))).json();
    const korean = await (await signedPost(url, ask(11, { locale: "ko" }))).json();
    expect(english).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/went wrong/) },
    });
    expect(korean).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/[가-힣]/) } });
    expect(logs.filter((line) => line.msg === "Discord interaction intake failed")).toHaveLength(2);
  });
});
