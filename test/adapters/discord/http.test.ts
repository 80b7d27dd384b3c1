import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, type EmulatedMessage, GENERAL, MINJI } from "../../emulators/discord/index.js";
import { customIds, DiscordHarness, shownText } from "./harness.js";

/** DISCORD_PUBLIC_KEY set: interactions come to POST /discord/interactions, into the same intake. */
describe("Discord interactions over HTTP", () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await DiscordHarness.start({ http: true });
  });
  afterAll(() => h?.close());

  const via = () => ({ url: h.interactionsUrl });

  it("answers help in the HTTP response itself, in the person's language", async () => {
    const delivery = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: MINJI,
      subcommand: "help",
      locale: "ko",
      via: via(),
    });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(shownText((delivery.body as { data: never }).data)).toContain("도움말");
  });

  it("defers /octo ask in the HTTP response, then works as over the gateway", async () => {
    const delivery = await h.emulator.userRunsCommand({
      channel: GENERAL,
      author: ALICE,
      subcommand: "ask",
      options: { request: "search for tide pools" },
      via: via(),
    });
    expect(delivery.body).toEqual({ type: 5 });
    await h.settled(delivery);
    const root = h.emulator.interaction(delivery.id)?.original;
    expect(shownText(root)).toContain("1/1");
    expect(shownText(h.botMessages(h.threadOf(root?.id ?? "")).at(-1))).toContain("tide pools");
  });

  it("answers an approve click with a deferred update and an edit click with the modal", async () => {
    const { thread } = await h.mention("draft a contract for the dock");
    await h.emulator.waitForCall(
      "POST /channels/:id/messages",
      (call) => call.params.id === thread && JSON.stringify(call.body).includes("octo:edit:"),
    );
    await h.idle();
    const card = h.botMessages(thread).find((m) => customIds(m).length > 0) as EmulatedMessage;
    const id = (prefix: string) => customIds(card).find((custom) => custom.startsWith(prefix)) as string;
    const edit = await h.emulator.userClicks({
      message: card,
      customId: id("octo:edit:"),
      author: ALICE,
      via: via(),
    });
    expect(edit.body).toMatchObject({ type: 9 });
    const approve = await h.emulator.userClicks({
      message: card,
      customId: id("octo:approve:"),
      author: ALICE,
      via: via(),
    });
    expect(approve.body).toEqual({ type: 6 });
    await h.settled(approve);
    expect(customIds(h.emulator.message(card.id))).toEqual([]);
    expect(shownText(h.botMessages(thread).at(-1))).toContain("contract templates kept with Octostrator");
  });
});
