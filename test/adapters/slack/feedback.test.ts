import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import type { EmulatedMessage } from "../../emulators/slack/index.js";
import { DATABASE_KINDS } from "../../support/databases.js";
import {
  ALICE,
  actionIds,
  BOB,
  botMessages,
  GENERAL,
  type SlackHarness as Harness,
  MINJI,
  SlackHarness,
  shownText,
} from "./harness.js";

const FEEDBACK = "octo_feedback";

/**
 * 👍 / 👎 under every answer, with the real Bolt app against the emulator: a click is kept once per
 * person and answer in the store (Postgres and PGlite), acknowledged to the clicker alone in their
 * language, and counted in `/octo history`.
 */
describe.each(DATABASE_KINDS)("feedback on answers (%s)", (database) => {
  let h: Harness;
  beforeAll(async () => {
    h = await SlackHarness.start({ database });
  });
  afterAll(() => h?.close());

  async function answered(user: string, text: string) {
    const mention = h.emulator.payloads.mention({ user, channel: GENERAL, text });
    await h.delivery.event(mention.body);
    await h.idle();
    const answer = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes(FEEDBACK));
    if (!answer) throw new Error("the answer has no feedback buttons");
    const threadKey = slackThreadKey({ team: "T0OCTO", channel: GENERAL, threadTs: mention.ts });
    return { mention, answer, threadKey };
  }

  /** Clicks a feedback button; resolves with what the clicker alone was then shown. */
  async function click(user: string, answer: EmulatedMessage, button: "positive" | "negative") {
    const seen = h.emulator.workspace.ephemerals.length;
    const payload = h.emulator.payloads.feedbackClick({ user, message: answer, actionId: FEEDBACK, button });
    const ack = await h.delivery.interaction(payload);
    expect(ack.status).toBe(200);
    await h.idle();
    const shown = h.emulator.workspace.ephemerals.slice(seen);
    expect(shown.map((e) => [e.user, e.threadTs])).toEqual([[user, answer.threadTs]]);
    return shownText(shown[0] ?? { text: "" });
  }

  const ratings = async (threadKey: string) =>
    (
      await h.store.db.query<{ run_id: string; rater: string; rating: string }>(
        "SELECT run_id, rater, rating FROM octo_feedback WHERE thread_id = $1 ORDER BY rater",
        [threadKey],
      )
    ).rows.map((row) => [row.run_id, row.rater, row.rating]);

  it("records a click once, changes it on the same person's second, adds another person's", async () => {
    const { mention, answer, threadKey } = await answered(ALICE, "search for narwhal tusks");
    const [turn] = (await h.service.history(threadKey)).turns;
    const runId = turn?.runId as string;
    // The buttons name the rating and the run, nothing the person or the model wrote.
    const block = (answer.blocks as { type: string; elements?: Record<string, { value: string }>[] }[]).find(
      (b) => b.type === "context_actions",
    );
    const buttons = block?.elements?.[0];
    expect([buttons?.positive_button?.value, buttons?.negative_button?.value]).toEqual([
      `up:${runId}`,
      `down:${runId}`,
    ]);
    const posted = botMessages(h, GENERAL, mention.ts).length;

    expect(await click(ALICE, answer, "positive")).toContain("Thanks! I noted your 👍");
    expect(await ratings(threadKey)).toEqual([[runId, ALICE, "up"]]);
    expect(await click(ALICE, answer, "positive")).toContain("You already rated this answer 👍");
    expect(await ratings(threadKey)).toEqual([[runId, ALICE, "up"]]);
    expect(await click(ALICE, answer, "negative")).toContain("Changed your rating of this answer to 👎");
    expect(await ratings(threadKey)).toEqual([[runId, ALICE, "down"]]);
    expect(await click(BOB, answer, "positive")).toContain("Thanks! I noted your 👍");
    expect(await ratings(threadKey)).toEqual([
      [runId, ALICE, "down"],
      [runId, BOB, "up"],
    ]);
    // Acknowledged ephemerally only: nothing new in the thread.
    expect(botMessages(h, GENERAL, mention.ts)).toHaveLength(posted);

    await h.delivery.command(h.emulator.payloads.command({ user: ALICE, channel: GENERAL, text: "history" }));
    await h.idle();
    const history = shownText(h.emulator.workspace.ephemerals.at(-1) ?? { text: "" });
    expect(history).toContain("1. search for narwhal tusks · 👍 1 · 👎 1");
    expect(history).toContain("Ratings of the answers: 👍 1 · 👎 1");
  });

  it("thanks in the clicker's language: theirs when they wrote, else the conversation's", async () => {
    const { answer, threadKey } = await answered(MINJI, "일각고래에 대해 검색해 주세요");
    expect(await click(MINJI, answer, "negative")).toContain("👎 평가를 기록했습니다");
    // Someone who never wrote to Octo hears the conversation's language.
    expect(await click("U0CAROL", answer, "positive")).toContain("👍 평가를 기록했습니다");
    expect((await ratings(threadKey)).map(([, rater, rating]) => [rater, rating])).toEqual([
      ["U0CAROL", "up"],
      [MINJI, "down"],
    ]);
  });

  it("refuses, politely and only to the clicker, a rating of an answer whose conversation was forgotten", async () => {
    const { answer, threadKey } = await answered(BOB, "search for sea otters");
    await h.delivery.command(h.emulator.payloads.command({ user: BOB, channel: GENERAL, text: "forget" }));
    await h.idle();
    expect(await click(BOB, answer, "positive")).toContain("the conversation it belongs to was forgotten");
    expect(await ratings(threadKey)).toEqual([]);
  });
});
