import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordThreadKey } from "../../../src/adapters/discord/index.js";
import { verifyRunLink } from "../../../src/delivery/index.js";
import { ALICE, GENERAL, GUILD_ID } from "../../emulators/discord/index.js";
import { DiscordHarness } from "./harness.js";

const SECRET = "discord-view-run-secret-of-32-chars";
const BASE = "https://octo.example.com/runs/";

/**
 * With OCTO_PUBLIC_URL set, a Discord answer ends with a "View run" link button (style 5, its URL a
 * signed link to that run of that thread), which the emulator checks as Discord does (a url, no custom_id).
 */
describe("the View run button on Discord answers", () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await DiscordHarness.start({
      env: { OCTO_PUBLIC_URL: "https://octo.example.com", OCTO_LINK_SECRET: SECRET },
    });
  });
  afterAll(() => h?.close());

  it("links the last message of the answer to its run's page", async () => {
    const mention = h.emulator.userSends({
      channel: GENERAL,
      author: ALICE,
      mentionBot: true,
      content: "search for octopus facts",
    });
    await h.emulator.waitForCall("POST /channels/:id/messages/:mid/threads");
    const thread = h.threadOf(mention.id);
    await h.idle();
    const [, ...answer] = h.botMessages(thread);
    const rows = answer.map((message) => message.components as { components: Record<string, unknown>[] }[]);
    const links = rows.flatMap((row) => row.flatMap((r) => r.components)).filter((b) => b.style === 5);
    expect(links).toHaveLength(1);
    expect(rows.at(-1)?.flatMap((r) => r.components)).toContainEqual(links[0]);
    expect(links[0]).toMatchObject({ type: 2, style: 5, label: "🔎 View run" });
    expect(links[0]?.custom_id).toBeUndefined();
    const url = String(links[0]?.url);
    expect(url.startsWith(BASE)).toBe(true);
    const threadKey = discordThreadKey({ guild: GUILD_ID, channel: GENERAL.id, thread });
    const [turn] = (await h.service.history(threadKey)).turns;
    expect(verifyRunLink(SECRET, url.slice(BASE.length), Date.now() / 1000)).toMatchObject({
      ok: true,
      claims: { threadKey, runId: turn?.runId },
    });
  });
});
