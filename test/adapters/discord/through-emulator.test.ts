import type { APIInteraction, APIInteractionResponse } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OCTO_COMMAND } from "../../../src/adapters/discord/command-definition.js";
import {
  INTERACTIONS_PATH,
  mountInteractionsEndpoint,
} from "../../../src/adapters/discord/http-interactions.js";
import type { InteractionResponder } from "../../../src/adapters/discord/interaction-contract.js";
import { HttpHost } from "../../../src/adapters/http/index.js";
import { ALICE, DiscordEmulator, GENERAL, GUILD_ID, NO_PINGS } from "../../emulators/discord/index.js";
import { capturingLogger, type LogLine } from "../../support/logs.js";
import { runRegister } from "./register-run.js";

/** The endpoint and the registration script against the Discord emulator: Discord's side as it behaves. */
describe("Discord's HTTP interactions and command registration, through the emulator", () => {
  let emulator: DiscordEmulator;
  let host: HttpHost;
  let url: string;
  const logs: LogLine[] = [];
  /** What the fake intake does with the next interaction. */
  let behave: (interaction: APIInteraction, respond: InteractionResponder) => Promise<void>;
  const handled: Promise<void>[] = [];

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    host = new HttpHost({ host: "127.0.0.1", port: 0, logger: capturingLogger(logs) });
    mountInteractionsEndpoint(host.routes, {
      publicKey: emulator.publicKeyHex,
      intake: {
        handle: (interaction, respond) => {
          const done = behave(interaction, respond);
          handled.push(done);
          return done;
        },
      },
      logger: capturingLogger(logs),
      apiUrl: emulator.apiUrl,
      deferAfterMs: 200,
    });
    await host.listen();
    url = host.routes.urlOf(INTERACTIONS_PATH) as string;
  });
  afterAll(async () => {
    await host?.close();
    await emulator?.close();
  });

  it("passes Discord's endpoint check: PING answered, a wrong or missing signature refused", async () => {
    expect(await emulator.sendPing(url)).toEqual({ status: 200, body: { type: 1 } });
    expect((await emulator.sendPing(url, { signature: "bad" })).status).toBe(401);
    expect((await emulator.sendPing(url, { signature: "missing" })).status).toBe(401);
  });

  it("answers a command in time, and fills or replaces the deferral of a slow one", async () => {
    const reply: APIInteractionResponse = { type: 4, data: { content: "On it", allowed_mentions: NO_PINGS } };
    behave = async (_interaction, respond) => respond(reply);
    const quick = await emulator.userRunsCommand({
      channel: GENERAL,
      author: ALICE,
      subcommand: "ask",
      options: { request: "search for eels" },
      via: { url },
    });
    expect(quick.body).toEqual(reply);
    expect(emulator.interaction(quick.id)?.original?.content).toBe("On it");

    let release = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    behave = async (interaction, respond) => {
      await slow;
      const privately = (interaction as { data?: { options?: { name: string }[] } }).data?.options?.[0]?.name;
      await respond({
        type: 4,
        data:
          privately === "history"
            ? { content: "Only you see this", flags: 64, allowed_mentions: NO_PINGS }
            : { content: "Here is the plan", allowed_mentions: NO_PINGS },
      });
    };
    const [ask, history] = await Promise.all([
      emulator.userRunsCommand({
        channel: GENERAL,
        author: ALICE,
        subcommand: "ask",
        options: { request: "search for rays" },
        via: { url },
      }),
      emulator.userRunsCommand({ channel: GENERAL, author: ALICE, subcommand: "history", via: { url } }),
    ]);
    expect([ask.body, history.body]).toEqual([{ type: 5 }, { type: 5 }]);
    release();
    await Promise.all(handled);

    const asked = emulator.interaction(ask.id);
    expect(asked?.original?.content).toBe("Here is the plan");
    expect((asked?.original?.flags ?? 0) & 128).toBe(0);
    const listed = emulator.interaction(history.id);
    // The public "thinking…" is gone; the answer reached only the person who asked.
    expect(emulator.messages(GENERAL).some((message) => message.id === listed?.original?.id)).toBe(false);
    expect(listed?.followUps.map((message) => [message.content, message.flags & 64])).toEqual([
      ["Only you see this", 64],
    ]);
  });

  it("registers /octo in the guild: the emulator stores exactly the definition", async () => {
    const run = await runRegister({
      DISCORD_TOKEN: emulator.token,
      DISCORD_GUILD_ID: GUILD_ID,
      DISCORD_API_URL: emulator.apiUrl,
    });
    expect(run.code).toBe(0);
    const stored = emulator.commands(GUILD_ID);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject(JSON.parse(JSON.stringify(OCTO_COMMAND)));
    expect(run.stdout).toContain(`/octo  id ${(stored[0] as { id: string }).id}`);
  });
});
