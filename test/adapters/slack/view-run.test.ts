import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import { verifyRunLink } from "../../../src/delivery/index.js";
import {
  ALICE,
  actionIds,
  botMessages,
  GENERAL,
  type SlackHarness as Harness,
  SlackHarness,
} from "./harness.js";

const VIEW_RUN = "octo_view_run";
const SECRET = "slack-view-run-secret-of-32-chars!!";

/**
 * With OCTO_PUBLIC_URL set, every answer carries a "View run" link button whose URL is a signed link to
 * that run of that thread; Slack sends a click on it to the app too, which acknowledges it and does
 * nothing else.
 */
describe("the View run button on Slack answers", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await SlackHarness.start({
      env: { OCTO_PUBLIC_URL: "https://octo.example.com/", OCTO_LINK_SECRET: SECRET },
    });
  });
  afterAll(() => h?.close());

  it("links the answer to its run's page, and a click is acknowledged at once", async () => {
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for narwhals",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const answer = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes(VIEW_RUN));
    if (!answer) throw new Error("the answer has no View run button");
    const button = (answer.blocks as { type: string; elements?: { action_id?: string; url?: string }[] }[])
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === VIEW_RUN);
    const url = button?.url ?? "";
    expect(url.startsWith("https://octo.example.com/runs/")).toBe(true);
    const threadKey = slackThreadKey({ team: "T0OCTO", channel: GENERAL, threadTs: mention.ts });
    const [turn] = (await h.service.history(threadKey)).turns;
    const checked = verifyRunLink(
      SECRET,
      url.slice("https://octo.example.com/runs/".length),
      Date.now() / 1000,
    );
    expect(checked).toMatchObject({ ok: true, claims: { threadKey, runId: turn?.runId } });

    const posted = botMessages(h, GENERAL, mention.ts).length;
    const ack = await h.delivery.interaction(
      h.emulator.payloads.blockAction({ user: ALICE, message: answer, actionId: VIEW_RUN }),
    );
    // Unhandled, Bolt would answer 404 after its 3-second timeout and warn that nothing acknowledged it.
    expect(ack.status).toBe(200);
    await h.idle();
    expect(botMessages(h, GENERAL, mention.ts)).toHaveLength(posted);
    expect(h.logs.filter((line) => /not acknowledged/.test(line.msg))).toEqual([]);
  });
});
