import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackEmulator } from "../emulators/slack/index.js";
import { freePort } from "../support/ports.js";
import { startOctostrator } from "./run-octostrator.js";

describe("npm start with Slack configured (HTTP mode, against the emulator)", () => {
  let dataDir: string;
  let emulator: SlackEmulator;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "octo-e2e-slack-"));
    emulator = await SlackEmulator.start();
  });
  afterEach(async () => {
    await emulator.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("serves a mention in its thread instead of opening the console", async () => {
    const port = await freePort();
    const bot = startOctostrator([], {
      dataDir,
      keepOpen: true,
      env: {
        SLACK_BOT_TOKEN: emulator.botToken,
        SLACK_SIGNING_SECRET: emulator.signingSecret,
        SLACK_API_URL: emulator.apiUrl,
        PORT: String(port),
      },
    });
    try {
      await bot.waitFor('"msg":"started"');
      expect(bot.stdout()).not.toContain("Octostrator console");
      const mention = emulator.payloads.mention({
        user: "U0ALICE",
        channel: "C0GENERAL",
        text: "search for cats",
      });
      const delivered = await emulator.http(`http://127.0.0.1:${port}/slack/events`).event(mention.body);
      expect(delivered.status).toBe(200);
      const answer = await emulator.waitForCall(
        "chat.postMessage",
        (call) =>
          call.params.thread_ts === mention.ts &&
          JSON.stringify(call.params).includes('I found nothing about \\"cats\\"'),
        { timeoutMs: 30_000 },
      );
      expect(answer.params.channel).toBe("C0GENERAL");
      // The same server (the process's one) answers health checks, and unknown paths with a JSON 404.
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.text()).toBe("ok");
      const unknown = await fetch(`http://127.0.0.1:${port}/nowhere`);
      expect([unknown.status, await unknown.json()]).toEqual([404, { error: "not_found" }]);
    } finally {
      // SIGTERM (as a process manager sends) stops the adapter, the service and the store in order.
      bot.signal("SIGTERM");
      await bot.exited;
      expect(bot.stdout()).toContain('"msg":"stopped"');
    }
  });
});
