import { type Client, Client as DiscordClient, Events, GatewayIntentBits, type Message } from "discord.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { destroyClient, discordClient, loginClient } from "./harness.js";
import { ALICE, DiscordEmulator, GENERAL } from "./index.js";

/** What the bot saw, so "exactly once" can be checked after the fact. */
function collectMessages(client: Client): string[] {
  const seen: string[] = [];
  client.on(Events.MessageCreate, (message: Message) => seen.push(message.content));
  return seen;
}

describe("Discord emulator gateway: resume and reconnect", () => {
  let emulator: DiscordEmulator;
  let client: Client;

  beforeEach(async () => {
    emulator = await DiscordEmulator.start();
    client = discordClient(emulator);
    await loginClient(client, emulator);
  });
  afterEach(async () => {
    await destroyClient(client);
    await emulator.close();
  });

  for (const abrupt of [false, true]) {
    it(`resumes after ${abrupt ? "a dropped TCP connection" : "close code 4000"} and gets what it missed exactly once`, async () => {
      const seen = collectMessages(client);
      const drop = await emulator.dropGateway({ abrupt, holdResume: true });
      emulator.userSends({ channel: GENERAL, author: ALICE, content: "while you were away" });
      const resume = await emulator.waitForGateway("RESUME");
      expect(resume.path).toBe("/gateway-resume");
      const identify = emulator.gatewayFrames.find((frame) => frame.name === "IDENTIFY");
      expect(resume.d).toMatchObject({ token: "[redacted]", seq: 2 });
      expect((resume.d as { session_id: string }).session_id).toBe(
        emulator.gateway.sessions.keys().next().value,
      );
      drop.release();
      await vi.waitFor(() => expect(seen).toEqual(["while you were away"]));
      emulator.userSends({ channel: GENERAL, author: ALICE, content: "and after" });
      await vi.waitFor(() => expect(seen).toEqual(["while you were away", "and after"]));
      expect(emulator.gatewayFrames.filter((frame) => frame.name === "IDENTIFY")).toEqual([identify]);
    });
  }

  it("resumes when told to reconnect (op 7)", async () => {
    const seen = collectMessages(client);
    emulator.requestReconnect();
    await emulator.waitForGateway("RESUME");
    emulator.userSends({ channel: GENERAL, author: ALICE, content: "after op 7" });
    await vi.waitFor(() => expect(seen).toEqual(["after op 7"]));
  });

  // discord.js waits out its 5 s identify throttle before the second IDENTIFY.
  it("identifies afresh after a non-resumable invalid session (op 9)", async () => {
    const seen = collectMessages(client);
    emulator.invalidateSession(false);
    await emulator.waitForGateway("IDENTIFY", () => true, { nth: 2 });
    await emulator.waitForConnection();
    emulator.userSends({ channel: GENERAL, author: ALICE, content: "new session" });
    await vi.waitFor(() => expect(seen).toEqual(["new session"]));
    expect(emulator.gateway.sessions.size).toBe(2);
  });
});

describe("Discord emulator gateway: handshake", () => {
  let emulator: DiscordEmulator | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    if (client) await destroyClient(client);
    await emulator?.close();
    client = undefined;
    emulator = undefined;
  });

  it("acknowledges heartbeats, so a fast-beating client keeps its one session", async () => {
    emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 40 });
    client = discordClient(emulator);
    await loginClient(client, emulator);
    await emulator.waitForGateway("HEARTBEAT", () => true, { nth: 4 });
    expect(emulator.gatewayFrames.map((frame) => frame.name).filter((name) => name !== "HEARTBEAT")).toEqual([
      "IDENTIFY",
    ]);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("blanks content for a bot without the Message Content intent, except mentions of it", async () => {
    emulator = await DiscordEmulator.start();
    client = new DiscordClient({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
      rest: { api: emulator.apiUrl },
    });
    await loginClient(client, emulator);
    const seen = collectMessages(client);
    emulator.userSends({ channel: GENERAL, author: ALICE, content: "not for you" });
    emulator.userSends({ channel: GENERAL, author: ALICE, content: "for you", mentionBot: true });
    await vi.waitFor(() => expect(seen).toEqual(["", `<@${emulator?.botUserId}> for you`]));
  });

  /** Speaks the gateway protocol by hand, for what discord.js would only report as an error event. */
  async function closeCodeFor(target: DiscordEmulator, identify: Record<string, unknown>): Promise<number> {
    const socket = new WebSocket(`${target.gateway.url}?v=10&encoding=json`);
    return new Promise((resolve, reject) => {
      socket.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as { op: number };
        if (frame.op === 10) socket.send(JSON.stringify({ op: 2, d: identify }));
      });
      socket.on("close", (code) => resolve(code));
      socket.on("error", reject);
    });
  }

  it("closes 4004 on a wrong token and 4014 on an intent the portal has not enabled", async () => {
    emulator = await DiscordEmulator.start({ messageContentIntentAllowed: false });
    const properties = { os: "linux", browser: "test", device: "test" };
    expect(await closeCodeFor(emulator, { token: "wrong", intents: 1, properties })).toBe(4004);
    expect(await closeCodeFor(emulator, { token: emulator.token, intents: 1 | (1 << 15), properties })).toBe(
      4014,
    );
    const refused = new DiscordClient({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: emulator.apiUrl },
    });
    await expect(refused.login("not-the-token")).rejects.toMatchObject({ code: "TokenInvalid" });
    expect(emulator.callsOf("GET /gateway/bot").map((call) => [call.auth, call.status])).toEqual([
      ["invalid", 401],
    ]);
    await destroyClient(refused);
  });
});
