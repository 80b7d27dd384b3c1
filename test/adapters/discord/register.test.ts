import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OCTO_COMMAND } from "../../../src/adapters/discord/command-definition.js";
import { freePort } from "../../support/ports.js";
import { FakeDiscordRest } from "./fake-rest.js";
import { type Run, runRegister } from "./register-run.js";

const APP = "1100000000000000001";
const GUILD = "1100000000000000002";
const TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAx.Gabcde.not-a-real-token-0123456789";

describe("npm run discord:register", () => {
  let rest: FakeDiscordRest;
  beforeAll(async () => {
    rest = await FakeDiscordRest.start({ botToken: TOKEN, applicationId: APP });
  });
  afterAll(() => rest?.close());

  // The command as it travels: JSON, exactly the definition.
  const expectedBody = JSON.parse(JSON.stringify([OCTO_COMMAND]));

  it("bulk-overwrites /octo in the guild, once per run, and says so; a second run changes nothing", async () => {
    const env = {
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APP,
      DISCORD_GUILD_ID: GUILD,
      DISCORD_API_URL: rest.apiUrl,
    };
    const before = rest.calls.length;
    const first = await runRegister(env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const calls = rest.calls.slice(before);
    expect(calls).toEqual([
      {
        method: "PUT",
        path: `/applications/${APP}/guilds/${GUILD}/commands`,
        body: expectedBody,
        authorization: `Bot ${TOKEN}`,
      },
    ]);
    expect(first.stdout).toContain(`application ${APP}\n`);
    expect(first.stdout).toContain(`bulk-overwrote the commands of guild ${GUILD}: 1 command(s)`);
    expect(first.stdout).toMatch(/\/octo {2}id \d+ {2}sub-commands: ask, history, rewind, forget, help/);

    const second = await runRegister(env);
    expect(second.code).toBe(0);
    expect(rest.calls.slice(before + 1).map((call) => call.body)).toEqual([expectedBody]);
    const idOf = (run: Run) => run.stdout.match(/id (\d+)/)?.[1];
    expect(idOf(second)).toBe(idOf(first));
    expect(first.stdout + second.stdout).not.toContain(TOKEN);
  });

  it("registers globally, asking Discord for the application when DISCORD_APPLICATION_ID is unset", async () => {
    const before = rest.calls.length;
    const run = await runRegister({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: rest.apiUrl });
    expect(run.code).toBe(0);
    expect(rest.calls.slice(before).map((call) => [call.method, call.path, call.body])).toEqual([
      ["GET", "/applications/@me", undefined],
      ["PUT", `/applications/${APP}/commands`, expectedBody],
    ]);
    expect(run.stdout).toContain("asked Discord");
    expect(run.stdout).toContain("bulk-overwrote the global commands");
  });

  it("says which setting is wrong, never printing the token", async () => {
    const wrongToken = "MTEwMDAwMDAwMDAwMDAwMDA5.Gzzzzz.wrong-token-9876543210";
    const refused = await runRegister({ DISCORD_TOKEN: wrongToken, DISCORD_API_URL: rest.apiUrl });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Discord refused DISCORD_TOKEN \(401: Unauthorized\)/);
    expect(refused.stdout + refused.stderr).not.toContain(wrongToken);

    const otherApp = await runRegister({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: "1100000000000000009",
      DISCORD_API_URL: rest.apiUrl,
    });
    expect(otherApp.code).toBe(1);
    expect(otherApp.stderr).toMatch(
      /DISCORD_APPLICATION_ID 1100000000000000009 is not this bot's application/,
    );

    const prefixed = await runRegister({ DISCORD_TOKEN: `Bot ${TOKEN}`, DISCORD_API_URL: rest.apiUrl });
    expect(prefixed.code).toBe(2);
    expect(prefixed.stderr).toMatch(/without the prefix/);
    expect(prefixed.stderr).not.toContain(TOKEN);

    const missing = await runRegister({ DISCORD_API_URL: rest.apiUrl });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/DISCORD_TOKEN is not set/);

    const badGuild = await runRegister({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: "my-server" });
    expect(badGuild.code).toBe(2);
    expect(badGuild.stderr).toMatch(/DISCORD_GUILD_ID: must be a Discord id/);
  });

  it("says so when Discord cannot be reached", async () => {
    const port = await freePort();
    const run = await runRegister({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`could not reach Discord at http://127.0.0.1:${port}/api.*DISCORD_API_URL`),
    );
    expect(run.stderr).not.toContain(TOKEN);
  });
});
