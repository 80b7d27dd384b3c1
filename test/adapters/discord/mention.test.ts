import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordThreadKey } from "../../../src/adapters/discord/index.js";
import { ALICE, BOB, DMS, GENERAL, GUILD_ID } from "../../emulators/discord/index.js";
import { DiscordHarness, gate, shownText } from "./harness.js";

describe("Discord mentions, thread replies and DMs", () => {
  let h: DiscordHarness;
  const intentGate = gate();
  let holdIntent = false;
  beforeAll(async () => {
    h = await DiscordHarness.start({
      service: {
        scripted: {
          handlers: {
            intent: async ({ context }) => {
              if (holdIntent) await intentGate.wait;
              return { category: "search", summary: String(context.request ?? "").slice(0, 100) };
            },
          },
        },
      },
    });
  });
  afterAll(() => h?.close());

  it("starts a thread on a mention, shows progress there at once, edits it, then answers with embeds", async () => {
    holdIntent = true;
    const mention = h.emulator.userSends({
      channel: GENERAL,
      author: ALICE,
      mentionBot: true,
      content: "search for octopus facts",
    });
    const started = await h.emulator.waitForCall("POST /channels/:id/messages/:mid/threads");
    expect(started.body).toMatchObject({ name: "search for octopus facts" });
    const thread = h.threadOf(mention.id);
    // The model is still held, yet the progress message is already in the thread.
    await h.emulator.waitForCall("POST /channels/:id/messages", (call) => call.params.id === thread);
    holdIntent = false;
    intentGate.open();
    await h.idle();

    const [progress, answer, ...rest] = h.botMessages(thread);
    expect(rest).toEqual([]);
    expect(progress?.revisions.length).toBeGreaterThan(0);
    expect(shownText(progress)).toContain("1/1");
    expect(answer?.embeds.length).toBeGreaterThan(0);
    expect(shownText(answer)).toContain('The search agent handled "search: search for octopus facts"');
    expect(h.botMessages(GENERAL.id)).toEqual([]);
    const session = await h.service.history(
      discordThreadKey({ guild: GUILD_ID, channel: GENERAL.id, thread }),
    );
    expect(session.turnCount).toBe(1);

    // Anyone's plain message in that thread continues the conversation, no mention needed.
    h.emulator.userSends({ channel: thread, author: BOB, content: "search for squid too" });
    await h.emulator.waitForCall("POST /channels/:id/messages", (call) => call.params.id === thread, {
      nth: 3,
    });
    await h.idle();
    expect(shownText(h.botMessages(thread).at(-1))).toContain("search for squid too");
    expect(
      (await h.service.history(discordThreadKey({ guild: GUILD_ID, channel: GENERAL.id, thread }))).turnCount,
    ).toBe(2);
  });

  it("answers a DM without a mention, in the DM", async () => {
    h.emulator.userSends({ channel: DMS.alice, author: ALICE, content: "search for kelp forests" });
    await h.emulator.waitForCall("POST /channels/:id/messages", (call) => call.params.id === DMS.alice.id, {
      nth: 2,
    });
    await h.idle();
    const [progress, answer] = h.botMessages(DMS.alice.id);
    expect(shownText(progress)).toContain("1/1");
    expect(shownText(answer)).toContain("kelp forests");
  });

  it("leaves channel chatter, other bots, system messages and edits alone", async () => {
    const before = h.emulator.calls.entries.filter((call) => call.method !== "GET").length;
    h.emulator.userSends({ channel: GENERAL, author: ALICE, content: "lunch anyone?" });
    h.emulator.botSends({ channel: GENERAL, content: `<@${h.emulator.botUserId}> search for news` });
    h.emulator.systemMessage({ channel: GENERAL });
    const mine = h.emulator.userSends({ channel: GENERAL, author: BOB, content: "draft" });
    h.emulator.editMessage({ message: mine, content: `<@${h.emulator.botUserId}> search for edits` });
    // Gateway events are handled in order: once this DM is answered, everything before it was seen.
    h.emulator.userSends({ channel: DMS.bob, author: BOB, content: "search for the sentinel" });
    await h.emulator.waitForCall("POST /channels/:id/messages", (call) => call.params.id === DMS.bob.id, {
      nth: 2,
    });
    await h.idle();
    const since = h.emulator.calls.entries.filter((call) => call.method !== "GET").slice(before);
    expect(since.every((call) => call.params.id === DMS.bob.id)).toBe(true);
    expect(h.emulator.threads().filter((thread) => thread.starterMessageId === mine.id)).toEqual([]);
  });
});
