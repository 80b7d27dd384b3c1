import type { App } from "@slack/bolt";
import type { RunEvent, RunEventOf } from "../../conversations/events.js";
import { approvalCardOf, errorEvent } from "../../conversations/index.js";
import type { ApprovalStatus, DecideInput, EventStream } from "../../conversations/types.js";
import { t } from "../../i18n/index.js";

import { type Locale, OctoError } from "../../vocabulary/index.js";
import type { SlackContext } from "./context.js";
import { editModal } from "./edit-modal.js";
import {
  type ButtonClick,
  EDIT_BLOCK_ID,
  EDIT_CALLBACK_ID,
  type EditContext,
  parseButtonClick,
  parseEditSubmission,
} from "./interaction.js";
import { SLACK_ACTIONS as ACTION_IDS, approvalMessage, errorMessage } from "./rendering.js";
import { deliverRun } from "./run-delivery.js";
import { say } from "./texts.js";
import { parseSlackThreadKey, type SlackThread, slackThreadKey } from "./thread-key.js";

/**
 * Approval buttons, the edit modal and retry buttons. Every click is acknowledged first; the decision
 * itself is the service's (it knows who may decide and whether the step is still pending), so a click
 * after a restart works and a second click is refused by the same rule as on any other platform.
 */
interface Where {
  channel: string;
  /** The approval card's message. */
  messageTs: string;
  thread: SlackThread;
  user: string;
}

export function listenForActions(app: App, ctx: SlackContext): void {
  const decisionOf = { [ACTION_IDS.approve]: "approve", [ACTION_IDS.reject]: "reject" } as const;

  for (const actionId of [ACTION_IDS.approve, ACTION_IDS.reject] as const) {
    app.action(actionId, async ({ ack, body }) => {
      await ack();
      const click = parseButtonClick(body);
      if (!click) return;
      ctx.tasks.run(`decide ${actionId}`, () =>
        decide(ctx, click.value, { decision: decisionOf[actionId], by: click.user }, whereOf(click)),
      );
    });
  }

  app.action(ACTION_IDS.edit, async ({ ack, body }) => {
    await ack();
    const click = parseButtonClick(body);
    if (!click) return;
    // The trigger id dies three seconds after the click: open the modal now, not behind other work.
    ctx.tasks.run("open edit modal", () => openEditor(ctx, click));
  });

  app.action(ACTION_IDS.retry, async ({ ack, body }) => {
    await ack();
    const click = parseButtonClick(body);
    if (!click) return;
    ctx.tasks.run("retry", () => retry(ctx, click));
  });

  app.view(EDIT_CALLBACK_ID, async ({ ack, body }) => {
    const submission = parseEditSubmission(body);
    if (!submission) {
      await ack();
      return;
    }
    const locale = ctx.userLocales.get(submission.user) ?? "en";
    if (submission.task.length === 0) {
      await ack({ response_action: "errors", errors: { [EDIT_BLOCK_ID]: say(locale, "edit.empty") } });
      return;
    }
    await ack();
    const { context } = submission;
    ctx.tasks.run("decide edit", () =>
      decide(
        ctx,
        context.approvalId,
        { decision: "edit", by: submission.user, editedTask: submission.task },
        {
          channel: context.channel,
          messageTs: context.messageTs,
          thread: { team: context.team, channel: context.channel, threadTs: context.threadTs },
          user: submission.user,
        },
      ),
    );
  });
}

function whereOf(click: ButtonClick): Where {
  return {
    channel: click.channel,
    messageTs: click.messageTs,
    thread: { team: click.team, channel: click.channel, threadTs: click.threadTs },
    user: click.user,
  };
}

async function decide(
  ctx: SlackContext,
  approvalId: string,
  input: DecideInput,
  where: Where,
): Promise<void> {
  // Only worth a lookup for someone who is neither the requester nor a listed approver.
  const record = await ctx.conversations.approval(approvalId).catch(() => undefined);
  const approvedVia = record ? await vouchingGroup(ctx, record.requester, input.by) : undefined;
  const iterator = ctx.conversations.decide(approvalId, { ...input, approvedVia })[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return;
  const event = head.value;
  if (event.type === "error") {
    await ctx.outbox
      .ephemeral(where.channel, where.user, where.thread.threadTs, errorMessage(event, event.locale))
      .catch(() => undefined);
    // A card still showing buttons for a decided step (the update was lost, say) is put right.
    if (event.kind === "approval_not_pending") await refreshCard(ctx, approvalId, where, event.locale);
    await drain(iterator);
    return;
  }
  ctx.userLocales.set(where.user, event.locale);
  if (event.type === "approval_decided") await refreshCard(ctx, approvalId, where, event.locale);
  const rest: EventStream = {
    [Symbol.asyncIterator]: () => (event.type === "approval_decided" ? iterator : prepend(event, iterator)),
  };
  const thread = parseSlackThreadKey(event.threadKey) ?? where.thread;
  await deliverRun(ctx, rest, { thread, user: where.user, locale: event.locale, cardAtOnce: false });
  // When resuming failed, the service puts the approval back to pending: give the card its buttons back.
  const after = await ctx.conversations.approval(approvalId).catch(() => undefined);
  if (after?.status === "pending") {
    await ctx.outbox
      .update(where.channel, where.messageTs, approvalMessage(approvalCardOf(after), after.locale))
      .catch(() => undefined);
  }
}

/**
 * The OCTO_APPROVERS user group that lets `user` decide an approval `requester` asked for; undefined
 * for the requester and listed people (who need no group) and for everyone else outside the groups.
 */
async function vouchingGroup(
  ctx: SlackContext,
  requester: string,
  user: string,
): Promise<string | undefined> {
  if (user === requester || ctx.approvers.includes(user)) return undefined;
  return ctx.approverGroups.groupOf(user);
}

/** Shows the approval card in its decided state (who, what, when), from the stored approval. */
async function refreshCard(
  ctx: SlackContext,
  approvalId: string,
  where: Where,
  locale: Locale,
): Promise<void> {
  const record = await ctx.conversations.approval(approvalId);
  if (!record || record.status === "pending" || !record.decidedBy) return;
  const decision = record.status === "approved" ? "approve" : record.status === "edited" ? "edit" : "reject";
  // Expired and cancelled requests show as not run, which is what a rejection shows.
  const card = approvalMessage(approvalCardOf(record), locale, {
    decision,
    by: record.decidedBy,
    at: (record.decidedAt ?? new Date()).toISOString(),
    edited_task: record.editedTask,
  });
  await ctx.outbox.update(where.channel, where.messageTs, card).catch(() => undefined);
}

async function openEditor(ctx: SlackContext, click: ButtonClick): Promise<void> {
  const record = await ctx.conversations.approval(click.value);
  const locale = record?.locale ?? ctx.userLocales.get(click.user) ?? "en";
  const refuse = (error: OctoError) =>
    ctx.outbox
      .ephemeral(
        click.channel,
        click.user,
        click.threadTs,
        errorMessage(refusal(error, click, locale), locale),
      )
      .catch(() => undefined);
  // The same checks, and the same words, as the service applies when the modal is submitted; made
  // here too so nobody types an edit only to be told they could not.
  if (!record) return void (await refuse(new OctoError("approval_unknown", click.value)));
  const allowed =
    record.requester === click.user ||
    ctx.approvers.includes(click.user) ||
    (await vouchingGroup(ctx, record.requester, click.user)) !== undefined;
  if (!allowed) {
    return void (await refuse(
      new OctoError("approval_not_allowed", "not allowed", { params: { requester: record.requester } }),
    ));
  }
  if (record.status !== "pending") {
    await refuse(
      new OctoError("approval_not_pending", "not pending", {
        params: { decision: decisionWord(record.status, locale), by: record.decidedBy ?? "-" },
      }),
    );
    await refreshCard(ctx, record.approvalId, whereOf(click), locale);
    return;
  }
  if (!click.triggerId) return;
  const context: EditContext = {
    approvalId: record.approvalId,
    team: click.team,
    channel: click.channel,
    messageTs: click.messageTs,
    threadTs: click.threadTs,
  };
  await ctx.outbox.openModal(click.triggerId, editModal(record, context, locale));
}

function decisionWord(status: ApprovalStatus, locale: Locale): string {
  if (status === "approved") return t(locale, "decision.approve");
  if (status === "edited") return t(locale, "decision.edit");
  if (status === "rejected") return t(locale, "decision.reject");
  return status;
}

function refusal(error: OctoError, click: ButtonClick, locale: Locale): RunEventOf<"error"> {
  const thread = { team: click.team, channel: click.channel, threadTs: click.threadTs };
  return errorEvent(error, { threadKey: slackThreadKey(thread), locale });
}

/**
 * A retry button carries the service's retry id. The service claims it atomically in the database, so
 * double clicks, redeliveries and clicks on two replicas start one run; every other click is told,
 * only to the person clicking, that the retry is used or expired. The request is sent again as its
 * original requester, whoever clicks.
 */
async function retry(ctx: SlackContext, click: ButtonClick): Promise<void> {
  const iterator = ctx.conversations.retry(click.value, { by: click.user })[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return;
  const event = head.value;
  if (event.type === "error" && event.kind === "retry_unavailable") {
    // The service cannot know the clicker's language; their last message here tells it.
    const locale = ctx.userLocales.get(click.user) ?? event.locale;
    const refused = refusal(new OctoError("retry_unavailable", click.value), click, locale);
    await ctx.outbox
      .ephemeral(click.channel, click.user, click.threadTs, errorMessage(refused, locale))
      .catch(() => undefined);
    await drain(iterator);
    return;
  }
  const thread = parseSlackThreadKey(event.threadKey) ?? {
    team: click.team,
    channel: click.channel,
    threadTs: click.threadTs,
  };
  const stream: EventStream = { [Symbol.asyncIterator]: () => prepend(event, iterator) };
  await deliverRun(ctx, stream, { thread, user: click.user, locale: event.locale, cardAtOnce: true });
}

async function* prepend(head: RunEvent, rest: AsyncIterator<RunEvent>): AsyncGenerator<RunEvent> {
  yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

async function drain(iterator: AsyncIterator<RunEvent>): Promise<void> {
  for (;;) if ((await iterator.next()).done) return;
}
