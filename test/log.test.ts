import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { webApi } from "@slack/bolt";
import { DiscordAPIError } from "discord.js";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { ConversationService } from "../src/conversations/index.js";
import { ScriptedLlm } from "../src/llm/scripted.js";
import { createLogger, type Logger, sdkLog } from "../src/log.js";
import { OctoError } from "../src/vocabulary/index.js";
import { openTestStore, type TestStore } from "./support/databases.js";
import { collectEvents } from "./support/events.js";
import { TEST_SETTINGS, testQueue } from "./support/service.js";

/** Every credential the configuration takes, each a value no log line may ever show, in any form. */
const POSTGRES_PASSWORD = "pg-P@ss/word:SECRET-9f3";
const SECRET_ENV = {
  OPENAI_API_KEY: "sk-test-OPENAI0KEY0distinct0value0x1",
  SLACK_BOT_TOKEN: "xoxb-1111-2222-SLACKBOTTOKENdistinct",
  SLACK_SIGNING_SECRET: "slack-signing-SECRET+value=z8",
  SLACK_APP_TOKEN: "xapp-1-A111-3333-SLACKAPPTOKENdistinct",
  DISCORD_TOKEN: "MTEyMzQ1Njc4OTAxMjM0NTY3OA.GdiscO.discordBOTtokenDISTINCTvalue0123456",
  OCTO_API_TOKEN: "octo-api-token/DISTINCT&value?42",
  OCTO_LINK_SECRET: "octo-link-secret DISTINCT value, at least 32 chars!",
  POSTGRES_URL: `postgres://octo:${encodeURIComponent(POSTGRES_PASSWORD)}@127.0.0.1:1/octo`,
};

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

/** Percent-encoding with lower-case hex digits, which decoders accept as readily. */
function lowerHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
}

// biome-ignore lint/suspicious/noExplicitAny: parsed log lines are walked by the fields each assertion names
type LogJson = Record<string, any>;

/** Nests `leaf` `levels` objects deep, with secrets at the bottom under innocent names. */
function nested(levels: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = levels; level > 0; level -= 1) value = { [`level${level}`]: value };
  return value;
}

/** The pg error a server that is not there gives, wrapped as the store wraps it, the URL in its text. */
async function postgresFailure(url: string): Promise<OctoError> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  const cause = await client.connect().then(
    () => new Error("connected"),
    (error: unknown) => error,
  );
  await client.end().catch(() => {});
  return new OctoError("store_unavailable", `cannot open the store at ${url}`, { cause });
}

/** A Slack Web API that refuses the token, echoing it back as Slack sometimes echoes arguments. */
async function refusingSlack(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({
        ok: false,
        error: "invalid_auth",
        response_metadata: { messages: [`rejected ${request.headers.authorization}`] },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("logs", () => {
  const config = loadConfig(SECRET_ENV);
  let store: TestStore;
  let logger: Logger;
  let lines: string[];

  beforeEach(async () => {
    store = await openTestStore("pglite");
    const captured = capture();
    lines = captured.lines;
    logger = createLogger({ level: "trace", secrets: config.secrets, destination: captured.destination });
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("counts every configured credential as a secret", () => {
    for (const [name, value] of Object.entries(SECRET_ENV))
      if (name !== "POSTGRES_URL") expect(config.secrets, name).toContain(value);
    expect(config.secrets).toContain(POSTGRES_PASSWORD);
  });

  it("never shows a configured secret, raw or percent-encoded, at any depth, in any error", async () => {
    const everySecret = Object.values(SECRET_ENV).concat(POSTGRES_PASSWORD);
    // A console run whose agent fails with every secret in its error, its cause and its data (the data
    // agent: with nothing attached it asks the model, which throws).
    const llm = new ScriptedLlm({
      handlers: {
        "agent:data": () => {
          throw new OctoError("tool_failed", `upstream refused ${SECRET_ENV.OPENAI_API_KEY}`, {
            cause: Object.assign(new Error(`auth ${SECRET_ENV.SLACK_BOT_TOKEN}`), {
              config: { headers: { Authorization: `Bearer ${SECRET_ENV.OCTO_API_TOKEN}` } },
            }),
          });
        },
      },
    });
    const service = new ConversationService({
      store,
      llm,
      logger,
      settings: { ...TEST_SETTINGS, stepAttempts: 1 },
      queue: testQueue(store),
    });
    try {
      await collectEvents(
        service.send({
          platform: "console",
          threadKey: "console:t",
          user: "alice",
          text: "analyse the data",
        }),
      );
    } finally {
      await service.close();
    }

    const slack = await refusingSlack();
    try {
      const client = new webApi.WebClient(SECRET_ENV.SLACK_BOT_TOKEN, {
        slackApiUrl: slack.url,
        retryConfig: { retries: 0 },
      });
      const refused = await client.chat.postMessage({ channel: "C1", text: "hi" }).catch((e: unknown) => e);
      logger.error({ err: refused }, "posting to Slack failed");
    } finally {
      await slack.close();
    }
    const discord = new DiscordAPIError(
      { code: 50001, message: "Missing Access" },
      50001,
      403,
      "PATCH",
      `https://discord.com/api/v10/webhooks/123456789012345678/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4/messages/@original`,
      { body: { content: "hi", token: SECRET_ENV.DISCORD_TOKEN }, files: [] },
    );
    logger.warn({ err: discord }, "editing the Discord reply failed");
    logger.error({ err: await postgresFailure(SECRET_ENV.POSTGRES_URL) }, "cannot open the store");
    logger.error(`connection string ${SECRET_ENV.POSTGRES_URL} refused`);
    logger.info(
      nested(10, {
        everySecret,
        encoded: everySecret.map(encodeURIComponent),
        header: `Authorization: Bot ${SECRET_ENV.DISCORD_TOKEN}`,
        url: SECRET_ENV.POSTGRES_URL,
      }),
      "a deep object",
    );
    logger.info({ request: { headers: { authorization: SECRET_ENV.OCTO_LINK_SECRET } } }, "a request");

    const text = lines.join("\n");
    expect(text).toContain("a deep object");
    for (const secret of everySecret)
      for (const form of [secret, encodeURIComponent(secret), lowerHex(encodeURIComponent(secret))])
        expect(text, `leaked ${form}`).not.toContain(form);
    // Something stood where each went.
    expect(text).toContain("[redacted]");
    expect(text).toContain("postgres://octo:[redacted]@127.0.0.1:1/octo");

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const line = (msg: string) => parsed.find((l) => l.msg === msg) as LogJson;
    // Errors keep their type, code, cause chain and the platform's own data.
    const storeError = line("cannot open the store").err;
    expect(storeError).toMatchObject({
      type: "OctoError",
      code: "store_unavailable",
      retryable: expect.any(Boolean),
    });
    expect(storeError.cause).toMatchObject({ code: "ECONNREFUSED" });
    expect(line("posting to Slack failed").err).toMatchObject({
      code: "slack_webapi_platform_error",
      data: { ok: false, error: "invalid_auth" },
    });
    expect(line("editing the Discord reply failed").err).toMatchObject({
      code: 50001,
      status: 403,
      method: "PATCH",
      rawError: { code: 50001, message: "Missing Access" },
      url: expect.stringContaining("/webhooks/123456789012345678/[redacted]"),
    });
    // Ten levels down, the leaf is still there, scrubbed.
    let deep = line("a deep object");
    for (let level = 1; level <= 10; level += 1) deep = deep[`level${level}`];
    expect(deep.everySecret).toHaveLength(everySecret.length);

    // Every line the run wrote names its run and thread, down to the supervisor's.
    const failed = parsed.filter((l) => l.msg === "step attempt failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const l of failed) expect(l).toMatchObject({ threadKey: "console:t", runId: expect.any(String) });
    const stepError = failed[0]?.err as LogJson;
    expect(stepError).toMatchObject({ type: "OctoError", code: "tool_failed" });
    expect(stepError.cause.config.headers.Authorization).toBe("[redacted]");
  });
});

describe("log scrubbing", () => {
  function logged(write: (logger: Logger) => void, secrets: string[] = []): string {
    const { lines, destination } = capture();
    write(createLogger({ level: "trace", secrets, destination }));
    return lines.join("\n");
  }

  it("survives cycles and hostile depth without writing what it cannot scrub", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const text = logged(
      (logger) => {
        logger.info({ cyclic, deep: nested(200, "hidden-SECRET-value") }, "odd shapes");
      },
      ["hidden-SECRET-value"],
    );
    expect(text).toContain("[circular]");
    expect(text).toContain("[too deep]");
    expect(text).not.toContain("hidden-SECRET-value");
  });

  it("redacts credential shapes that are not configured", () => {
    const text = logged((logger) => {
      logger.warn(
        {
          url: "postgresql://admin:hunter2%21x@db.internal:5432/app",
          header: "Authorization: Bearer abcdefABCDEF0123456789",
          dsn: "host=db password=hunter3 user=app",
          slack: "xoxp-1234-5678-abcdefgh",
        },
        "shapes",
      );
    });
    for (const leak of ["hunter2", "hunter3", "abcdefABCDEF0123456789", "xoxp-1234"])
      expect(text).not.toContain(leak);
    expect(text).toContain("postgresql://admin:[redacted]@db.internal:5432/app");
  });

  it("keeps an SDK's error whole on the line it logs", () => {
    const error = Object.assign(new Error("An API error occurred: invalid_auth"), {
      code: "slack_webapi_platform_error",
      data: { ok: false, error: "invalid_auth" },
    });
    const text = logged((logger) => sdkLog(logger).error("request failed", error));
    const line = JSON.parse(text) as LogJson;
    expect(line.msg).toContain("invalid_auth");
    expect(line.err).toMatchObject({ code: "slack_webapi_platform_error", data: { error: "invalid_auth" } });
  });
});
