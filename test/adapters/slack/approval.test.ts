import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import type { EmulatedMessage } from "../../emulators/slack/index.js";
import { ALICE, actionIds, BOB, BOSS, botMessages, GENERAL, SlackHarness, shownText } from "./harness.js";

describe("approvals from Slack buttons", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start();
  });
  afterAll(() => h?.close());

  /** Asks for something the contract agent does, which needs approval; returns thread and card. */
  async function askForApproval(text = "draft a contract for the new vendor") {
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text });
    await h.delivery.event(mention.body);
    await h.idle();
    const card = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes("octo_approve"));
    if (!card) throw new Error("no approval card was posted");
    return { mention, card, key: slackThreadKey({ team: "T0OCTO", channel: GENERAL, threadTs: mention.ts }) };
  }

  const current = (card: EmulatedMessage) =>
    h.emulator.workspace.message(card.channel, card.ts) as EmulatedMessage;

  async function click(user: string, card: EmulatedMessage, actionId: string) {
    const payload = h.emulator.payloads.blockAction({ user, message: current(card), actionId });
    const ack = await h.delivery.interaction(payload);
    expect(ack.status).toBe(200);
    await h.idle();
  }

  const answers = (threadTs: string) =>
    botMessages(h, GENERAL, threadTs).filter((m) => shownText(m).includes("completed ·"));

  it("posts a card whose buttons carry only the approval id, and approving resumes the run", async () => {
    const { mention, card, key } = await askForApproval();
    const [pending] = (await h.service.history(key)).pendingApprovals;
    expect(actionIds(card)).toEqual(["octo_approve", "octo_reject", "octo_edit"]);
    expect(JSON.stringify(card.blocks)).toContain(`"value":"${pending?.approvalId}"`);
    expect(answers(mention.ts)).toHaveLength(0);

    await click(ALICE, card, "octo_approve");
    expect(actionIds(current(card))).toEqual([]);
    expect(shownText(current(card))).toContain(`<@${ALICE}>`);
    expect(shownText(current(card))).toMatch(/approved/i);
    const [answer] = answers(mention.ts);
    expect(shownText(answer as EmulatedMessage)).toContain("contract templates kept with Octostrator");
    expect((await h.service.approval(pending?.approvalId ?? ""))?.status).toBe("approved");
  });

  it("rejecting (by a configured approver) skips the step and says who decided", async () => {
    const { mention, card } = await askForApproval("draft a contract for the cleaning service");
    await click(BOSS, card, "octo_reject");
    expect(shownText(current(card))).toContain(`<@${BOSS}>`);
    expect(shownText(current(card))).toMatch(/rejected/i);
    const [answer] = answers(mention.ts);
    expect(shownText(answer as EmulatedMessage)).not.toContain("contract templates kept with Octostrator");
  });

  it("edit opens a modal with the task, and its submission runs the edited task", async () => {
    const { mention, card, key } = await askForApproval("draft a contract for the catering");
    const [pending] = (await h.service.history(key)).pendingApprovals;
    await click(ALICE, card, "octo_edit");
    const open = await h.emulator.waitForCall("views.open");
    const view = h.emulator.workspace.views.at(-1);
    if (!view) throw new Error("no modal opened");
    expect(JSON.stringify(open.params.view)).toContain(JSON.stringify(pending?.task).slice(1, -1));

    const empty = await h.delivery.interaction(
      h.emulator.payloads.viewSubmission({ user: ALICE, view, text: "  " }),
    );
    expect(empty.body).toMatchObject({ response_action: "errors" });
    expect((await h.service.approval(pending?.approvalId ?? ""))?.status).toBe("pending");

    const submitted = await h.delivery.interaction(
      h.emulator.payloads.viewSubmission({ user: ALICE, view, text: "draft a one-page NDA instead" }),
    );
    expect(submitted).toEqual({ status: 200, body: undefined });
    await h.idle();
    expect(shownText(current(card))).toContain("draft a one-page NDA instead");
    const [answer] = answers(mention.ts);
    expect(shownText(answer as EmulatedMessage)).toContain("Mutual Non-Disclosure Agreement");
  });

  it("refuses someone who may not decide, ephemerally, and changes nothing", async () => {
    const { mention, card, key } = await askForApproval("draft a contract for the parking lot");
    const updatesBefore = h.emulator.callsOf("chat.update", (call) => call.params.ts === card.ts).length;
    const modalsBefore = h.emulator.callsOf("views.open").length;
    for (const actionId of ["octo_approve", "octo_reject", "octo_edit"]) {
      await click(BOB, card, actionId);
      const refusal = h.emulator.workspace.ephemerals.at(-1);
      expect(refusal?.user).toBe(BOB);
      expect(refusal?.threadTs).toBe(mention.ts);
      expect(shownText(refusal ?? { text: "" })).toContain("Only the person who asked");
    }
    expect(h.emulator.callsOf("views.open")).toHaveLength(modalsBefore);
    expect(h.emulator.callsOf("chat.update", (call) => call.params.ts === card.ts)).toHaveLength(
      updatesBefore,
    );
    expect((await h.service.history(key)).pendingApprovals).toHaveLength(1);
    expect(answers(mention.ts)).toHaveLength(0);
  });

  it("refuses a second click on a decided card politely", async () => {
    const { mention, card } = await askForApproval("draft a contract for the printers");
    // What another client still shows: the card as it was before the first decision.
    const asShownBefore = structuredClone(card);
    await click(ALICE, card, "octo_approve");
    const stale = h.emulator.payloads.blockAction({
      user: ALICE,
      message: asShownBefore,
      actionId: "octo_reject",
    });
    await h.delivery.interaction(stale);
    await h.idle();
    const refusal = h.emulator.workspace.ephemerals.at(-1);
    expect(refusal?.user).toBe(ALICE);
    expect(shownText(refusal ?? { text: "" })).toContain("already decided");
    expect(answers(mention.ts)).toHaveLength(1);
  });

  it("resumes from a click made after the bot restarted", async () => {
    const { mention, card } = await askForApproval("draft a contract for the office lease");
    await h.restart();
    await click(ALICE, card, "octo_approve");
    const [answer] = answers(mention.ts);
    expect(shownText(answer as EmulatedMessage)).toContain("contract templates kept with Octostrator");
    expect(actionIds(current(card))).toEqual([]);
  });
});
