import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import { OctoError } from "../../../src/vocabulary/index.js";
import { type EmulatedMessage, findActionElement } from "../../emulators/slack/index.js";
import { ALICE, actionIds, BOB, BOSS, botMessages, GENERAL, SlackHarness, shownText } from "./harness.js";

describe("Slack adapter under failures", () => {
  let h: SlackHarness;
  let planFailures = 0;
  beforeAll(async () => {
    h = await SlackHarness.start({
      service: {
        scripted: {
          handlers: {
            plan: ({ context }) => {
              if (planFailures > 0) {
                planFailures -= 1;
                throw new OctoError("llm_timeout", "scripted timeout", { retryable: true });
              }
              return {
                steps: [
                  {
                    id: 1,
                    agent: "search",
                    task: `search: ${String(context.request)}`,
                    description: "search step",
                    depends_on: [],
                    needs_approval: false,
                  },
                ],
              };
            },
          },
        },
        settings: { stepAttempts: 1 },
      },
    });
  });
  afterAll(() => h?.close());

  it("waits out a 429 on a card edit as Retry-After says, and still finishes the card and the answer", async () => {
    h.emulator.faults.rateLimit("chat.update", { retryAfterSeconds: 1, times: 1 });
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for sea otters",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const updates = h.emulator.callsOf("chat.update");
    expect(updates[0]?.status).toBe(429);
    expect(updates.slice(1).every((call) => call.status === 200)).toBe(true);
    const [card, answer] = botMessages(h, GENERAL, mention.ts);
    expect(shownText(card ?? { text: "" })).toContain("1/1");
    expect(shownText(answer ?? { text: "" })).toContain("sea otters");
    expect(h.logs.some((line) => line.msg.includes("Slack rate limit") && line.retryAfterSeconds === 1)).toBe(
      true,
    );
  });

  it("logs Slack API errors with their code and falls back to plain text when blocks are refused", async () => {
    // The progress card is the first post; the answer the second.
    h.emulator.faults.error("chat.postMessage", "invalid_blocks", { after: 1 });
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for sponges",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const [, answer] = botMessages(h, GENERAL, mention.ts);
    expect(answer?.blocks).toBeUndefined();
    expect(answer?.text).toContain("sponges");
    const logged = h.logs.find(
      (line) => line.msg === "Slack API call failed" && line.error === "invalid_blocks",
    );
    expect(logged).toMatchObject({ method: "chat.postMessage", channel: GENERAL });
  });

  /** Mentions the bot with a request whose planning fails once; returns the mention and the error message. */
  async function failOnce(user: string, text: string) {
    planFailures = 1;
    const mention = h.emulator.payloads.mention({ user, channel: GENERAL, text });
    await h.delivery.event(mention.body);
    await h.idle();
    const failure = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes("octo_retry"));
    if (!failure) throw new Error("no error message with a retry button");
    return { mention, failure };
  }

  const clickRetry = (user: string, failure: EmulatedMessage) =>
    h.delivery.interaction(
      h.emulator.payloads.blockAction({ user, message: failure, actionId: "octo_retry" }),
    );

  const answersIn = (threadTs: string) =>
    botMessages(h, GENERAL, threadTs).filter((m) => shownText(m).includes("completed ·"));

  it("says a failed run failed, politely, with a retry button carrying the service's retry id", async () => {
    const { mention, failure } = await failOnce(ALICE, "search for jellyfish");
    expect(shownText(failure)).toContain("did not answer in time");
    const retryId = findActionElement(failure, "octo_retry")?.value ?? "";
    expect(retryId).toMatch(/^rt_/);

    await clickRetry(ALICE, failure);
    await h.idle();
    const answers = answersIn(mention.ts);
    expect(answers).toHaveLength(1);
    expect(shownText(answers[0] ?? { text: "" })).toContain("jellyfish");
    // The same id is spent in the database: the service itself refuses it now.
    const again = [];
    for await (const event of h.service.retry(retryId, { by: ALICE })) again.push(event);
    expect(again).toMatchObject([{ type: "error", kind: "retry_unavailable" }]);
  });

  it("refuses a second click politely, only to the person clicking, and runs nothing more", async () => {
    const { mention, failure } = await failOnce(ALICE, "search for starfish");
    // The requester and an approver click at once: one run, one polite refusal.
    await Promise.all([clickRetry(ALICE, failure), clickRetry(BOSS, failure)]);
    await h.idle();
    expect(answersIn(mention.ts)).toHaveLength(1);
    const ephemeralsBefore = h.emulator.workspace.ephemerals.length;
    await clickRetry(ALICE, failure);
    await h.idle();
    const refusals = h.emulator.workspace.ephemerals.filter((e) => e.threadTs === mention.ts);
    expect(refusals).toHaveLength(2);
    expect(h.emulator.workspace.ephemerals.length).toBe(ephemeralsBefore + 1);
    for (const refusal of refusals) expect(shownText(refusal)).toContain("already used or has expired");
    expect(refusals.map((refusal) => refusal.user).sort()).toContain(ALICE);
    expect(answersIn(mention.ts)).toHaveLength(1);
  });

  it("refuses someone else's retry privately and keeps it usable for the requester", async () => {
    const { mention, failure } = await failOnce(ALICE, "search for sea urchins");
    await clickRetry(BOB, failure);
    await h.idle();
    expect(answersIn(mention.ts)).toHaveLength(0);
    const refusals = h.emulator.workspace.ephemerals.filter((e) => e.threadTs === mention.ts);
    expect(refusals.map((refusal) => refusal.user)).toEqual([BOB]);
    expect(shownText(refusals[0] ?? { text: "" })).toContain("Only the person who asked");
    await clickRetry(ALICE, failure);
    await h.idle();
    expect(answersIn(mention.ts)).toHaveLength(1);
  });

  it("runs a retry clicked after the bot restarted (new service and adapter, same database)", async () => {
    const { mention, failure } = await failOnce(BOB, "search for krill");
    await h.restart();
    await clickRetry(BOB, failure);
    await h.idle();
    const answers = answersIn(mention.ts);
    expect(answers).toHaveLength(1);
    expect(shownText(answers[0] ?? { text: "" })).toContain("krill");
    const key = slackThreadKey({ team: "T0OCTO", channel: GENERAL, threadTs: mention.ts });
    expect((await h.service.history(key)).turns.map((turn) => turn.request)).toEqual(["search for krill"]);
  });

  it("offers no retry button for an error a retry would not fix", async () => {
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "x".repeat(12_001) });
    await h.delivery.event(mention.body);
    await h.idle();
    const replies = botMessages(h, GENERAL, mention.ts);
    const refusal = replies.find((m) => shownText(m).includes("I can take at most 12000"));
    if (!refusal) throw new Error(`no refusal among ${replies.map((m) => m.text).join(" | ")}`);
    expect(replies.flatMap((m) => actionIds(m))).not.toContain("octo_retry");
  });

  it("never writes a token or the signing secret to the log, even at trace level", () => {
    const text = JSON.stringify(h.logs);
    expect(h.logs.length).toBeGreaterThan(20);
    expect(text).not.toContain(h.emulator.botToken);
    expect(text).not.toContain(h.emulator.signingSecret);
  });
});
