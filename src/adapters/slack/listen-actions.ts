import type { App } from "@slack/bolt";
import { type CardAction, onCardAction, onEditSubmitted, replyLocale } from "../../delivery/index.js";
import { slack } from "../../renderers/index.js";
import type { SlackContext } from "./context.js";
import { EDIT_CALLBACK_ID, parseButtonClick, parseEditSubmission } from "./interaction.js";
import { type SlackThread, slackThreadKey } from "./thread-key.js";

/**
 * Approval, edit and retry buttons and the edit modal: every click is acknowledged first, then handed
 * to the delivery layer's flows with the thread it came from.
 */
export function listenForActions(app: App, ctx: SlackContext): void {
  for (const [action, actionId] of Object.entries(slack.SLACK_ACTIONS) as [CardAction, string][]) {
    app.action(actionId, async ({ ack, body }) => {
      await ack();
      const click = parseButtonClick(body);
      if (!click) return;
      const thread = { team: click.team, channel: click.channel, threadTs: click.threadTs };
      const card = cardClick(ctx, thread, click.messageTs, click.user, click.triggerId);
      onCardAction(ctx.delivery, action, card, click.value);
    });
  }

  // A link button opens its page in the browser; Slack still sends the click, which needs only its ack.
  app.action(slack.SLACK_VIEW_RUN_ACTION, async ({ ack }) => {
    await ack();
  });

  app.view(EDIT_CALLBACK_ID, async ({ ack, body }) => {
    const submission = parseEditSubmission(body);
    if (submission?.task.length === 0) {
      // Slack keeps the modal open and shows this under the field.
      await ack(slack.renderEditRefusal(replyLocale(ctx.delivery, submission.user)));
      return;
    }
    await ack();
    if (!submission) return;
    const { context, user, task } = submission;
    const thread = { team: context.team, channel: context.channel, threadTs: context.threadTs };
    const card = cardClick(ctx, thread, context.messageTs, user);
    onEditSubmitted(ctx.delivery, card, context.approvalId, task);
  });
}

/** `triggerId` (a button's, not a submission's) lets the click open the edit modal. */
function cardClick(ctx: SlackContext, thread: SlackThread, cardTs: string, user: string, triggerId?: string) {
  const sink = ctx.outbox.thread(thread, { triggerId, cardTs });
  return { sink, threadKey: slackThreadKey(thread), cardId: cardTs, user };
}
