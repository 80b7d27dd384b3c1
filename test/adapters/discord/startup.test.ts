import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiscordAdapter } from "../../../src/adapters/discord/index.js";
import { type AdapterContext, selectAdapters } from "../../../src/adapters/index.js";
import { loadConfig } from "../../../src/config.js";
import type { DeliveryLedger } from "../../../src/conversations/index.js";
import type { ConversationApi } from "../../../src/conversations/types.js";
import { silentLogger } from "../../../src/log.js";
import { DiscordEmulator } from "../../emulators/discord/index.js";

const unused = new Proxy({}, { get: () => () => Promise.reject(new Error("not in this test")) });

function context(env: NodeJS.ProcessEnv): AdapterContext {
  return {
    config: loadConfig({ OCTO_LOG_LEVEL: "silent", ...env }),
    conversations: unused as ConversationApi,
    ledger: unused as DeliveryLedger,
    logger: silentLogger(),
  };
}

describe("Discord start-up", () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
  });
  afterAll(() => emulator?.close());

  it("is served beside Slack when both are configured, and only when DISCORD_TOKEN is set", () => {
    const both = selectAdapters(
      context({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", DISCORD_TOKEN: "t0ken-value" }),
      { thread: undefined, onConsoleExit: () => {} },
    );
    expect(both.map((adapter) => adapter.name)).toEqual(["slack", "discord"]);
    expect(
      selectAdapters(context({ DISCORD_TOKEN: "t0ken-value" }), {
        thread: undefined,
        onConsoleExit: () => {},
      }).map((a) => a.name),
    ).toEqual(["discord"]);
    expect(createDiscordAdapter(context({}))).toBeUndefined();
  });

  it("stops with one clear line naming the variables when the token is refused, without the token", async () => {
    const adapter = createDiscordAdapter(
      context({ DISCORD_TOKEN: "not-the-right-token", DISCORD_API_URL: emulator.apiUrl }),
    );
    const failure = await adapter?.start().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/DISCORD_TOKEN and DISCORD_API_URL/);
    expect(failure?.message).toContain(emulator.apiUrl);
    expect(failure?.message).not.toContain("not-the-right-token");
    await adapter?.stop();
  });

  it("says so when DISCORD_API_URL does not answer", async () => {
    const adapter = createDiscordAdapter(
      context({ DISCORD_TOKEN: emulator.token, DISCORD_API_URL: "http://127.0.0.1:9/api" }),
    );
    await expect(adapter?.start()).rejects.toThrow(/did not answer GET \/users\/@me .*DISCORD_API_URL/);
  });
});
