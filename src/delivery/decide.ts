import { approvalCardOf, checkDecision, DECISION_OF_STATUS, errorEvent } from "../conversations/index.js";
import type { ApprovalView, DecideInput } from "../conversations/types.js";
import type { ApprovalDecided } from "../renderers/types.js";
import { type Locale, OctoError } from "../vocabulary/index.js";
import type { Delivery } from "./context.js";
import { postPrivately } from "./posting.js";
import { deliverRun } from "./run-delivery.js";
import type { ThreadSink } from "./sink.js";
import { drain, streamOf } from "./streams.js";

/**
 * Approval buttons and the edit form. The decision itself is the service's (it knows who may decide and
 * whether the step is still pending), so a click after a restart works and a second click is refused by
 * the same rule on every platform. Refusals go to the person clicking alone; the card is kept true to
 * the stored approval either way.
 */
export interface CardClick<M> {
  /** The thread the card is in, and its key. */
  sink: ThreadSink<M>;
  threadKey: string;
  /** The approval card's message. */
  cardId: string;
  user: string;
  /** Groups the platform says the person clicking belongs to (Discord: the member's role ids). */
  memberOf?: readonly string[] | undefined;
}

export async function decide<M>(
  ctx: Delivery<M>,
  click: CardClick<M>,
  approvalId: string,
  input: Omit<DecideInput, "approvedVia" | "threadKey">,
): Promise<void> {
  const approval = await ctx.conversations.approval(approvalId).catch(() => undefined);
  const approvedVia = approval
    ? await ctx.approvers.vouchingGroup(approval, input.by, click.memberOf)
    : undefined;
  const decision = { ...input, approvedVia, threadKey: click.threadKey };
  const iterator = ctx.conversations.decide(approvalId, decision, { follow: false })[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return;
  const event = head.value;
  if (event.type === "error") {
    await postPrivately(click.sink, click.user, ctx.renderer.error(event, event.locale));
    // A card still showing buttons for a decided step (the update was lost, say) is put right.
    if (event.kind === "approval_not_pending") await refreshCard(ctx, click, approvalId, event.locale);
    await drain(iterator);
    return;
  }
  ctx.userLocales.set(click.user, event.locale);
  const decided = event.type === "approval_decided";
  if (decided) {
    const card = ctx.renderer.approval(event.approval, event.locale, {
      decision: event.decision,
      by: event.by,
      at: event.at,
      edited_task: event.edited_task,
    });
    await click.sink.update(click.cardId, card).catch(() => undefined);
  }
  // What else came at once (an expiry's refusal); the resumed run is reported by its job's deliverer,
  // which redraws this card with its buttons if resuming fails (`approval_reopened`).
  await deliverRun(ctx, click.sink, streamOf(iterator, decided ? undefined : event), {
    threadKey: click.threadKey,
    user: click.user,
    locale: event.locale,
    cardAtOnce: false,
    cards: new Map([[approvalId, click.cardId]]),
  });
}

/**
 * Opens the edit form after the same check, with the same words, as the service applies when the form
 * is submitted (`checkDecision`), so nobody types an edit only to be told they could not.
 */
export async function openEditForm<M>(
  ctx: Delivery<M>,
  click: CardClick<M>,
  approvalId: string,
): Promise<void> {
  const approval = await ctx.conversations.approval(approvalId);
  const locale = approval?.locale ?? ctx.userLocales.get(click.user) ?? "en";
  const refuse = (error: OctoError) =>
    postPrivately(
      click.sink,
      click.user,
      ctx.renderer.error(errorEvent(error, { threadKey: click.threadKey, locale }), locale),
    );
  if (!approval) return refuse(new OctoError("approval_unknown", approvalId));
  const approvedVia = await ctx.approvers.vouchingGroup(approval, click.user, click.memberOf);
  const who = { by: click.user, approvedVia };
  const verdict = checkDecision(approval, who, new Date());
  if (!verdict.ok) {
    await refuse(verdict.error);
    if (verdict.error.code === "approval_not_pending") await refreshCard(ctx, click, approvalId, locale);
    return;
  }
  if (!click.sink.openForm) return;
  const form = { approvalId, step: approval.stepId, agent: approval.agent, task: approval.task };
  await click.sink.openForm(form, locale);
}

/**
 * Puts right a card that still shows buttons for an approval decided elsewhere (a lost update, a second
 * click): the refusal carries no card, so this one redraw looks the approval up.
 */
async function refreshCard<M>(ctx: Delivery<M>, click: CardClick<M>, approvalId: string, locale: Locale) {
  const approval = await ctx.conversations.approval(approvalId);
  if (!approval || approval.status === "pending" || !approval.decidedBy) return;
  const decided = decidedOf({ ...approval, status: approval.status }, approval.decidedBy);
  const card = ctx.renderer.approval(approvalCardOf(approval), locale, decided);
  await click.sink.update(click.cardId, card).catch(() => undefined);
}

function decidedOf(
  approval: ApprovalView & { status: keyof typeof DECISION_OF_STATUS },
  by: string,
): ApprovalDecided {
  return {
    decision: DECISION_OF_STATUS[approval.status],
    by,
    at: (approval.decidedAt ?? new Date()).toISOString(),
    edited_task: approval.editedTask,
  };
}
