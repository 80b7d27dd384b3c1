import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordThreadKey } from "../../../src/adapters/discord/index.js";
import { ALICE, BOB, type EmulatedMessage, GENERAL, GUILD_ID } from "../../emulators/discord/index.js";
import { customIds, DiscordHarness, shownText } from "./harness.js";

describe("Discord feedback buttons", () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await DiscordHarness.start();
  });
  afterAll(() => h?.close());

  async function answered(text: string) {
    const { thread } = await h.mention(text);
    await h.posted(thread, 2);
    const answer = h
      .botMessages(thread)
      .find((m) => customIds(m).some((id) => id.startsWith("octo:feedback:")));
    if (!answer) throw new Error("no answer with feedback buttons");
    return { thread, answer, threadKey: discordThreadKey({ guild: GUILD_ID, channel: GENERAL.id, thread }) };
  }

  async function rate(author: { id: string }, answer: EmulatedMessage, rating: "up" | "down") {
    const customId = customIds(answer).find((id) => id.startsWith(`octo:feedback:${rating}:`)) as string;
    const delivery = await h.emulator.userClicks({ message: answer, customId, author });
    await h.settled(delivery);
    return h.emulator.interaction(delivery.id)?.followUps.at(-1);
  }

  it("closes an answer with 👍 / 👎 naming only the run; clicks are recorded once per person and thanked privately", async () => {
    const { answer, threadKey } = await answered("search for sea otters");
    const [turn] = (await h.service.history(threadKey)).turns;
    expect(customIds(answer).filter((id) => id.startsWith("octo:feedback:"))).toEqual([
      `octo:feedback:up:${turn?.runId}`,
      `octo:feedback:down:${turn?.runId}`,
    ]);

    const thanks = await rate(ALICE, answer, "up");
    expect((thanks?.flags ?? 0) & 64).toBe(64);
    expect(shownText(thanks)).toContain("I noted your 👍");
    expect(shownText(await rate(ALICE, answer, "down"))).toContain(
      "Changed your rating of this answer to 👎",
    );
    await rate(BOB, answer, "up");

    const history = await h.service.history(threadKey);
    expect(history.feedback).toEqual({ up: 1, down: 1 });
    expect(history.turns[0]?.feedback).toEqual({ up: 1, down: 1 });
  });
});
