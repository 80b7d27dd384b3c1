import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OctoError } from "../../../src/errors.js";
import { ALICE, actionIds, BOB, botMessages, GENERAL, SlackHarness, shownText } from "./harness.js";

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

  it("says a failed run failed, politely, with a retry button that runs the request once more", async () => {
    planFailures = 1;
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for jellyfish",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const failure = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes("octo_retry"));
    if (!failure) throw new Error("no error message with a retry button");
    expect(shownText(failure)).toContain("did not answer in time");

    const retry = () =>
      h.delivery.interaction(
        h.emulator.payloads.blockAction({ user: ALICE, message: failure, actionId: "octo_retry" }),
      );
    await retry();
    await h.idle();
    const answers = botMessages(h, GENERAL, mention.ts).filter((m) => shownText(m).includes("completed ·"));
    expect(answers).toHaveLength(1);
    expect(shownText(answers[0] ?? { text: "" })).toContain("jellyfish");

    await retry();
    await h.idle();
    expect(shownText(h.emulator.workspace.ephemerals.at(-1) ?? { text: "" })).toContain("already started");
    expect(
      botMessages(h, GENERAL, mention.ts).filter((m) => shownText(m).includes("completed ·")),
    ).toHaveLength(1);
  });

  it("answers a retry button from before a restart by asking for the request again", async () => {
    planFailures = 1;
    const mention = h.emulator.payloads.mention({ user: BOB, channel: GENERAL, text: "search for krill" });
    await h.delivery.event(mention.body);
    await h.idle();
    const failure = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes("octo_retry"));
    if (!failure) throw new Error("no error message with a retry button");
    await h.restart();
    await h.delivery.interaction(
      h.emulator.payloads.blockAction({ user: BOB, message: failure, actionId: "octo_retry" }),
    );
    await h.idle();
    expect(shownText(h.emulator.workspace.ephemerals.at(-1) ?? { text: "" })).toContain("expired");
  });

  it("never writes a token or the signing secret to the log, even at trace level", () => {
    const text = JSON.stringify(h.logs);
    expect(h.logs.length).toBeGreaterThan(20);
    expect(text).not.toContain(h.emulator.botToken);
    expect(text).not.toContain(h.emulator.signingSecret);
  });
});
