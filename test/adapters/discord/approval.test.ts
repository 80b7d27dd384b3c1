import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordThreadKey } from "../../../src/adapters/discord/index.js";
import {
  ALICE,
  APPROVER_ROLE,
  BOB,
  BOSS,
  type EmulatedMessage,
  GENERAL,
  GUILD_ID,
} from "../../emulators/discord/index.js";
import { customIds, DiscordHarness, shownText } from "./harness.js";

describe("approvals from Discord buttons", () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    // BOSS is no listed user: only the role he holds lets him decide.
    h = await DiscordHarness.start({ approvers: [APPROVER_ROLE] });
  });
  afterAll(() => h?.close());

  /** Asks for something the contract agent does, which needs approval; returns thread and card. */
  async function askForApproval(text = "draft a contract for the new vendor") {
    const { thread } = await h.mention(text);
    const card = await waitForCard(thread);
    const key = discordThreadKey({ guild: GUILD_ID, channel: GENERAL.id, thread });
    return { thread, card, key };
  }

  async function waitForCard(thread: string): Promise<EmulatedMessage> {
    await h.emulator.waitForCall(
      "POST /channels/:id/messages",
      (call) => call.params.id === thread && JSON.stringify(call.body).includes("octo:approve:"),
    );
    await h.idle();
    const card = h.botMessages(thread).find((m) => customIds(m).some((id) => id.startsWith("octo:approve:")));
    if (!card) throw new Error("no approval card was posted");
    return card;
  }

  const current = (card: EmulatedMessage) => h.emulator.message(card.id) as EmulatedMessage;

  async function click(author: { id: string }, card: EmulatedMessage, action: string) {
    const customId = customIds(card).find((id) => id.startsWith(`octo:${action}:`)) as string;
    const delivery = await h.emulator.userClicks({ message: card, customId, author });
    await h.settled(delivery);
    return h.emulator.interaction(delivery.id);
  }

  it("posts a card whose buttons carry only the approval id; approving resumes the run", async () => {
    const { thread, card, key } = await askForApproval();
    const [pending] = (await h.service.history(key)).pendingApprovals;
    const id = pending?.approvalId as string;
    expect(customIds(card)).toEqual([`octo:approve:${id}`, `octo:reject:${id}`, `octo:edit:${id}`]);

    const view = await click(ALICE, card, "approve");
    expect(view?.callbacks[0]?.type).toBe(6);
    expect(customIds(current(card))).toEqual([]);
    expect(shownText(current(card))).toContain(`<@${ALICE.id}>`);
    expect(shownText(current(card))).toMatch(/approved/i);
    expect(shownText(h.botMessages(thread).at(-1))).toContain("contract templates kept with Octostrator");
    expect((await h.service.approval(id))?.status).toBe("approved");
  });

  it("lets a member holding an approver role (OCTO_APPROVERS) reject, and says who decided", async () => {
    const { thread, card } = await askForApproval("draft a contract for the cleaning service");
    await click(BOSS, card, "reject");
    expect(shownText(current(card))).toContain(`<@${BOSS.id}>`);
    expect(shownText(current(card))).toMatch(/rejected/i);
    expect(shownText(h.botMessages(thread).at(-1))).not.toContain("contract templates kept with Octostrator");
  });

  it("edit opens a modal with the task; its submission runs the edited task", async () => {
    const { thread, card, key } = await askForApproval("draft a contract for the catering");
    const [pending] = (await h.service.history(key)).pendingApprovals;
    const view = await click(ALICE, card, "edit");
    const [modal] = view?.callbacks ?? [];
    expect(modal?.type).toBe(9);
    const data = modal?.data as { custom_id: string; components: { components: { value: string }[] }[] };
    expect(data.components[0]?.components[0]?.value).toBe(pending?.task);

    const empty = await h.emulator.userSubmitsModal({
      customId: data.custom_id,
      fields: { task: "   " },
      author: ALICE,
      channel: thread,
      message: card,
    });
    await h.settled(empty);
    expect(h.emulator.interaction(empty.id)?.callbacks[0]).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((await h.service.approval(pending?.approvalId ?? ""))?.status).toBe("pending");

    const submitted = await h.emulator.userSubmitsModal({
      customId: data.custom_id,
      fields: { task: "draft a one-page NDA instead" },
      author: ALICE,
      channel: thread,
      message: card,
    });
    await h.settled(submitted);
    expect(h.emulator.interaction(submitted.id)?.callbacks[0]?.type).toBe(6);
    expect(shownText(current(card))).toContain("NDA instead");
    expect(shownText(h.botMessages(thread).at(-1))).toContain("Mutual Non-Disclosure Agreement");
  });

  it("refuses someone who may not decide, ephemerally, and changes nothing", async () => {
    const { thread, card, key } = await askForApproval("draft a contract for the parking lot");
    const before = current(card).revisions.length;
    for (const action of ["approve", "reject", "edit"]) {
      const view = await click(BOB, card, action);
      const refusal =
        action === "edit" ? view?.callbacks[0] : { type: 4, data: view?.followUps.at(-1) as unknown };
      expect(refusal?.type).toBe(4);
      const shown = refusal?.data as { flags?: number; embeds?: unknown[]; content?: string };
      expect((shown.flags ?? 0) & 64).toBe(64);
      expect(shownText({ content: shown.content ?? "", embeds: shown.embeds ?? [] })).toContain(
        "Only the person who asked",
      );
    }
    expect(current(card).revisions).toHaveLength(before);
    expect((await h.service.history(key)).pendingApprovals).toHaveLength(1);
    expect(
      h.botMessages(thread).filter((m) => shownText(m).includes("contract templates kept with Octostrator")),
    ).toEqual([]);
  });

  it("tells people writing in a thread waiting for a decision, and runs nothing", async () => {
    const { thread, key } = await askForApproval("draft a contract for the boat rental");
    const before = h.botMessages(thread).length;
    h.emulator.userSends({ channel: thread, author: BOB, content: "any news on this?" });
    await h.posted(thread, before + 1);
    // Discord has nothing private outside interactions: the refusal is in the thread.
    expect(shownText(h.botMessages(thread).at(-1))).toContain("waiting for a decision on step 1");
    // One refused at once (too long) is a reply to the message it refuses.
    const long = h.emulator.userSends({ channel: thread, author: BOB, content: "x".repeat(12_001) });
    await h.posted(thread, before + 2);
    const reply = h.botMessages(thread).at(-1);
    expect(reply?.reference?.message_id).toBe(long.id);
    expect(shownText(reply)).toContain("12001 characters");
    expect((await h.service.history(key)).turnCount).toBe(0);
  });

  it("refuses a second click on a decided card politely", async () => {
    const { thread, card } = await askForApproval("draft a contract for the printers");
    // What another client still shows: the card as it was, buttons and all.
    const asShownBefore = structuredClone(card);
    await click(ALICE, card, "approve");
    const answered = h.botMessages(thread).length;
    const view = await click(ALICE, asShownBefore, "reject");
    const told = view?.followUps.at(-1);
    expect((told?.flags ?? 0) & 64).toBe(64);
    expect(shownText(told)).toContain("already decided");
    expect(h.botMessages(thread)).toHaveLength(answered);
  });

  it("resumes from a click made after the bot restarted", async () => {
    const { thread, card } = await askForApproval("draft a contract for the office lease");
    await h.restart();
    await click(ALICE, card, "approve");
    expect(shownText(h.botMessages(thread).at(-1))).toContain("contract templates kept with Octostrator");
    expect(customIds(current(card))).toEqual([]);
  });
});
