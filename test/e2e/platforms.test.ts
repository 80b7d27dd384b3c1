import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, DiscordEmulator, GENERAL } from "../emulators/discord/index.js";
import { SlackEmulator } from "../emulators/slack/index.js";
import { freePort } from "../support/ports.js";
import { startOctostrator } from "./run-octostrator.js";

describe("npm start with Slack and Discord both configured (against the emulators)", () => {
  let dataDir: string;
  let slack: SlackEmulator;
  let discord: DiscordEmulator;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "octo-e2e-platforms-"));
    slack = await SlackEmulator.start();
    discord = await DiscordEmulator.start({ heartbeatIntervalMs: 5_000 });
  });
  afterEach(async () => {
    await discord.close();
    await slack.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("one process answers a Slack mention and a Discord mention, each in its own thread", async () => {
    const port = await freePort();
    const bot = startOctostrator([], {
      dataDir,
      keepOpen: true,
      env: {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: slack.signingSecret,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        PORT: String(port),
      },
    });
    try {
      await bot.waitFor('"msg":"started"');
      expect(bot.stdout()).not.toContain("Octostrator console");

      const asked = discord.userSends({
        channel: GENERAL,
        author: ALICE,
        mentionBot: true,
        content: "search for owls",
      });
      const mention = slack.payloads.mention({
        user: "U0ALICE",
        channel: "C0GENERAL",
        text: "search for cats",
      });
      const delivered = await slack.http(`http://127.0.0.1:${port}/slack/events`).event(mention.body);
      expect(delivered.status).toBe(200);

      const slackAnswer = await slack.waitForCall(
        "chat.postMessage",
        (call) =>
          call.params.thread_ts === mention.ts &&
          JSON.stringify(call.params).includes('I found nothing about \\"cats\\"'),
        { timeoutMs: 30_000 },
      );
      expect(slackAnswer.params.channel).toBe("C0GENERAL");

      const thread = await discord.waitForCall(
        "POST /channels/:id/messages/:mid/threads",
        (call) => call.params.mid === asked.id,
        { timeoutMs: 30_000 },
      );
      const discordAnswer = await discord.waitForCall(
        "POST /channels/:id/messages",
        (call) =>
          call.params.id === (thread.response as { id?: string }).id &&
          JSON.stringify(call.body).includes('I found nothing about \\"owls\\"'),
        { timeoutMs: 30_000 },
      );
      expect(JSON.stringify(discordAnswer.body)).toContain("in the knowledge base or the attached files");
    } finally {
      bot.signal("SIGTERM");
      await bot.exited;
      expect(bot.stdout()).toContain('"msg":"stopped"');
    }
  });
});
