import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OctoError } from "../../../src/vocabulary/index.js";
import { ALICE, APPROVER_ROLE, BOB, BOSS, type EmulatedMessage } from "../../emulators/discord/index.js";
import { customIds, DiscordHarness, shownText } from "./harness.js";

describe("Discord retry buttons", () => {
  let h: DiscordHarness;
  let planFailures = 0;
  beforeAll(async () => {
    // The approvers are a role: BOSS holds it, and the click carries his roles.
    h = await DiscordHarness.start({
      approvers: [APPROVER_ROLE],
      service: {
        scripted: {
          handlers: {
            plan: ({ context }) => {
              if (planFailures > 0) {
                planFailures -= 1;
                throw new OctoError("llm_timeout", "scripted timeout", { retryable: true });
              }
              const task = `search: ${String(context.request)}`;
              return {
                steps: [
                  {
                    id: 1,
                    agent: "search",
                    task,
                    description: "search",
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

  async function failOnce(text: string) {
    planFailures = 1;
    const { thread } = await h.mention(text);
    await h.posted(thread, 2);
    const failure = h
      .botMessages(thread)
      .find((m) => customIds(m).some((id) => id.startsWith("octo:retry:")));
    if (!failure) throw new Error("no error message with a retry button");
    return { thread, failure };
  }

  async function clickRetry(author: { id: string }, failure: EmulatedMessage) {
    const customId = customIds(failure).find((id) => id.startsWith("octo:retry:")) as string;
    const delivery = await h.emulator.userClicks({ message: failure, customId, author });
    await h.settled(delivery);
    return h.emulator.interaction(delivery.id);
  }

  it("says a failed run failed with a retry button; a click runs it once, a second click is refused", async () => {
    const { thread, failure } = await failOnce("search for jellyfish");
    expect(shownText(failure)).toContain("did not answer in time");
    await clickRetry(ALICE, failure);
    const answers = () =>
      h.botMessages(thread).filter((m) => shownText(m).includes('handled "search: search for jellyfish"'));
    expect(answers()).toHaveLength(1);

    const again = await clickRetry(BOB, failure);
    const told = again?.followUps.at(-1);
    expect((told?.flags ?? 0) & 64).toBe(64);
    expect(shownText(told)).toContain("already used or has expired");
    expect(answers()).toHaveLength(1);
  });

  it("refuses someone else's click privately, leaving the retry for the requester or an approver role", async () => {
    const { thread, failure } = await failOnce("search for octopus");
    const answers = () =>
      h.botMessages(thread).filter((m) => shownText(m).includes('handled "search: search for octopus"'));
    const refused = await clickRetry(BOB, failure);
    const told = refused?.followUps.at(-1);
    expect((told?.flags ?? 0) & 64).toBe(64);
    expect(shownText(told)).toContain("Only the person who asked");
    expect(answers()).toHaveLength(0);

    await clickRetry(BOSS, failure);
    expect(answers()).toHaveLength(1);
  });
});
