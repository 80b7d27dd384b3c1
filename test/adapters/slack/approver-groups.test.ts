import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import type { EmulatedMessage } from "../../emulators/slack/index.js";
import {
  ALICE,
  actionIds,
  BOB,
  BOSS,
  botMessages,
  CAROL,
  GENERAL,
  SlackHarness,
  shownText,
} from "./harness.js";

/** OCTO_APPROVERS naming a Slack user group: its members may decide, checked with usergroups.users.list. */
const REVIEWERS = "S0REVIEW";

describe("approver user groups", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start({
      approvers: [BOSS, REVIEWERS],
      emulator: { seed: { usergroups: [{ id: REVIEWERS, handle: "reviewers", users: [CAROL, "U0OTHER"] }] } },
    });
  });
  afterAll(() => h?.close());

  async function askForApproval(text: string) {
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text });
    await h.delivery.event(mention.body);
    await h.idle();
    const card = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes("octo_approve"));
    if (!card) throw new Error("no approval card was posted");
    const key = slackThreadKey({ team: "T0OCTO", channel: GENERAL, threadTs: mention.ts });
    const [pending] = (await h.service.history(key)).pendingApprovals;
    if (!pending) throw new Error("no pending approval");
    return { mention, card, approvalId: pending.approvalId };
  }

  const current = (card: EmulatedMessage) =>
    h.emulator.workspace.message(card.channel, card.ts) as EmulatedMessage;

  async function click(user: string, card: EmulatedMessage, actionId: string) {
    await h.delivery.interaction(h.emulator.payloads.blockAction({ user, message: current(card), actionId }));
    await h.idle();
  }

  const lookups = () => h.emulator.callsOf("usergroups.users.list");
  const answered = (threadTs: string) =>
    botMessages(h, GENERAL, threadTs).some((m) =>
      shownText(m).includes("contract templates kept with Octostrator"),
    );

  // First, while nothing is cached: a failed lookup is not cached either.
  it("refuses a group member when Slack will not list the group, and logs Slack's error code", async () => {
    const { mention, card, approvalId } = await askForApproval("draft a contract for the boat shed");
    h.emulator.faults.error("usergroups.users.list", "missing_scope");
    await click(CAROL, card, "octo_approve");

    expect(lookups().at(-1)).toMatchObject({ params: { usergroup: REVIEWERS }, auth: "bot" });
    const refusal = h.emulator.workspace.ephemerals.at(-1);
    expect(refusal?.user).toBe(CAROL);
    expect(shownText(refusal ?? { text: "" })).toContain("Only the person who asked");
    expect((await h.service.approval(approvalId))?.status).toBe("pending");
    expect(answered(mention.ts)).toBe(false);
    expect(
      h.logs.find((line) => line.msg.includes("approver group") && line.error === "missing_scope"),
    ).toMatchObject({ group: REVIEWERS });
  });

  it("lets a member of an approver group approve, and says who decided", async () => {
    const { mention, card, approvalId } = await askForApproval("draft a contract for the bike racks");
    await click(CAROL, card, "octo_approve");

    const record = await h.service.approval(approvalId);
    expect(record).toMatchObject({ status: "approved", decidedBy: CAROL });
    expect(shownText(current(card))).toContain(`<@${CAROL}>`);
    expect(answered(mention.ts)).toBe(true);
    expect(lookups().at(-1)?.params.usergroup).toBe(REVIEWERS);
  });

  it("lets a member edit through the modal, with the group's list cached meanwhile", async () => {
    const before = lookups().length;
    const { mention, card, approvalId } = await askForApproval("draft a contract for the kiosk");
    await click(CAROL, card, "octo_edit");
    const view = h.emulator.workspace.views.at(-1);
    if (!view || view.user !== CAROL) throw new Error("no modal opened for the group member");
    await h.delivery.interaction(
      h.emulator.payloads.viewSubmission({ user: CAROL, view, text: "draft a short kiosk NDA" }),
    );
    await h.idle();

    expect(await h.service.approval(approvalId)).toMatchObject({ status: "edited", decidedBy: CAROL });
    expect(
      botMessages(h, GENERAL, mention.ts).some((m) => shownText(m).includes("draft a short kiosk NDA")),
    ).toBe(true);
    expect(lookups().length).toBe(before);
  });

  it("refuses someone outside the group and the list, ephemerally, and changes nothing", async () => {
    const { mention, card, approvalId } = await askForApproval("draft a contract for the fountain");
    await click(BOB, card, "octo_approve");

    const refusal = h.emulator.workspace.ephemerals.at(-1);
    expect(refusal?.user).toBe(BOB);
    expect(shownText(refusal ?? { text: "" })).toContain("Only the person who asked");
    expect((await h.service.approval(approvalId))?.status).toBe("pending");
    expect(answered(mention.ts)).toBe(false);
  });

  it("asks Slack nothing when the requester or a listed approver decides", async () => {
    const before = lookups().length;
    const first = await askForApproval("draft a contract for the awning");
    await click(ALICE, first.card, "octo_approve");
    const second = await askForApproval("draft a contract for the benches");
    await click(BOSS, second.card, "octo_reject");
    expect((await h.service.approval(first.approvalId))?.status).toBe("approved");
    expect((await h.service.approval(second.approvalId))?.status).toBe("rejected");
    expect(lookups().length).toBe(before);
  });
});
