import { describeError } from "../conversations/errors.js";
import type { RunEventOf } from "../conversations/events.js";
import { approvalCardOf } from "../conversations/index.js";
import type { DecideInput } from "../conversations/types.js";
import { OctoError } from "../errors.js";
import { t } from "../i18n/index.js";
import type { ApprovalDecided } from "../renderers/types.js";
import type { ApprovalRecord, ApprovalStatus } from "../store/index.js";
import type { Locale } from "../supervisor/types.js";
import type { Delivery } from "./context.js";
import { deliverRun, postPrivately } from "./run-delivery.js";
import type { ThreadSink } from "./sink.js";
import { drain, streamOf } from "./streams.js";

/**
 * Approval buttons and the edit form. The decision itself is the service's (it knows who may decide and
 * whether the step is still pending), so a click after a restart works and a second click is refused by
 * the same rule on every platform. Refusals go to the person clicking alone; the card is kept true to
 * the stored approval either way.
 */
export interface CardClick<M> {
  /** The thread the card is in. */
  sink: ThreadSink<M>;
  /** The approval card's message. */
  cardId: string;
  user: string;
}

export async function decide<M>(
  ctx: Delivery<M>,
  click: CardClick<M>,
  approvalId: string,
  input: DecideInput,
): Promise<void> {
  const record = await ctx.conversations.approval(approvalId).catch(() => undefined);
  const approvedVia = record ? await ctx.approvers.vouchingGroup(record.requester, input.by) : undefined;
  const iterator = ctx.conversations.decide(approvalId, { ...input, approvedVia })[Symbol.asyncIterator]();
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
  if (decided) await refreshCard(ctx, click, approvalId, event.locale);
  const rest = streamOf(iterator, decided ? undefined : event);
  await deliverRun(ctx, click.sink, rest, { user: click.user, locale: event.locale, cardAtOnce: false });
  // When resuming failed, the service puts the approval back to pending: give the card its buttons back.
  const after = await ctx.conversations.approval(approvalId).catch(() => undefined);
  if (after?.status === "pending") {
    await click.sink
      .update(click.cardId, ctx.renderer.approval(approvalCardOf(after), after.locale))
      .catch(() => {});
  }
}

/**
 * Opens the edit form after the same checks, and with the same words, as the service applies when the
 * form is submitted, so nobody types an edit only to be told they could not.
 */
export async function openEditForm<M>(
  ctx: Delivery<M>,
  click: CardClick<M>,
  approvalId: string,
): Promise<void> {
  const record = await ctx.conversations.approval(approvalId);
  const locale = record?.locale ?? ctx.userLocales.get(click.user) ?? "en";
  const refusal = await checkEdit(ctx, record, click.user, locale);
  if (refusal) {
    await postPrivately(click.sink, click.user, ctx.renderer.error(refusalEvent(refusal, locale), locale));
    if (refusal.code === "approval_not_pending" && record)
      await refreshCard(ctx, click, record.approvalId, locale);
    return;
  }
  if (!record || !click.sink.openForm) return;
  const form = { approvalId: record.approvalId, step: record.stepId, agent: record.agent, task: record.task };
  await click.sink.openForm(form, locale);
}

async function checkEdit<M>(
  ctx: Delivery<M>,
  record: ApprovalRecord | undefined,
  user: string,
  locale: Locale,
): Promise<OctoError | undefined> {
  if (!record) return new OctoError("approval_unknown", "unknown approval");
  const allowed =
    record.requester === user ||
    ctx.approvers.users.includes(user) ||
    (await ctx.approvers.vouchingGroup(record.requester, user)) !== undefined;
  if (!allowed) {
    return new OctoError("approval_not_allowed", "not allowed", { params: { requester: record.requester } });
  }
  if (record.status !== "pending") {
    return new OctoError("approval_not_pending", "not pending", {
      params: { decision: decisionWord(record.status, locale), by: record.decidedBy ?? "-" },
    });
  }
  return undefined;
}

/** Shows the approval card in its decided state (who, what, when), from the stored approval. */
async function refreshCard<M>(ctx: Delivery<M>, click: CardClick<M>, approvalId: string, locale: Locale) {
  const record = await ctx.conversations.approval(approvalId);
  if (!record || record.status === "pending" || !record.decidedBy) return;
  // Expired and cancelled requests show as not run, which is what a rejection shows.
  const decided: ApprovalDecided = {
    decision: decisionOfStatus(record.status) ?? "reject",
    by: record.decidedBy,
    at: (record.decidedAt ?? new Date()).toISOString(),
    edited_task: record.editedTask,
  };
  const card = ctx.renderer.approval(approvalCardOf(record), locale, decided);
  await click.sink.update(click.cardId, card).catch(() => undefined);
}

function decisionOfStatus(status: ApprovalStatus): ApprovalDecided["decision"] | undefined {
  if (status === "approved") return "approve";
  if (status === "edited") return "edit";
  if (status === "rejected") return "reject";
  return undefined;
}

function decisionWord(status: ApprovalStatus, locale: Locale): string {
  const decision = decisionOfStatus(status);
  return decision ? t(locale, `decision.${decision}`) : status;
}

/** A refusal as the error event the renderers show (it belongs to no run). */
export function refusalEvent(error: OctoError, locale: Locale): RunEventOf<"error"> {
  const described = describeError(error, locale);
  return {
    type: "error",
    threadKey: "",
    runId: "",
    locale,
    at: new Date().toISOString(),
    kind: described.kind,
    message: described.message,
    retryable: false,
  };
}
