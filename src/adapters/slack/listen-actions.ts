import type { App } from "@slack/bolt";
import { type CardClick, decide, openEditForm, retry } from "../../delivery/index.js";
import { slack } from "../../renderers/index.js";
import type { SlackContext } from "./context.js";
import { type ButtonClick, EDIT_CALLBACK_ID, parseButtonClick, parseEditSubmission } from "./interaction.js";
import { slackThreadKey } from "./thread-key.js";

/**
 * Approval buttons, the edit modal and retry buttons: every click is acknowledged first, then handed to
 * the delivery layer's decide and retry flows with the thread it came from.
 */
export function listenForActions(app: App, ctx: SlackContext): void {
  const { delivery } = ctx;
  const ids = slack.SLACK_ACTIONS;
  const decisionOf = { [ids.approve]: "approve", [ids.reject]: "reject" } as const;

  for (const actionId of [ids.approve, ids.reject] as const) {
    app.action(actionId, async ({ ack, body }) => {
      await ack();
      const click = parseButtonClick(body);
      if (!click) return;
      const input = { decision: decisionOf[actionId], by: click.user };
      delivery.tasks.run(`decide ${actionId}`, () =>
        decide(delivery, cardClick(ctx, click), click.value, input),
      );
    });
  }

  app.action(ids.edit, async ({ ack, body }) => {
    await ack();
    const click = parseButtonClick(body);
    if (!click) return;
    // The trigger id dies three seconds after the click: open the modal now, not behind other work.
    delivery.tasks.run("open edit modal", () => openEditForm(delivery, cardClick(ctx, click), click.value));
  });

  app.action(ids.retry, async ({ ack, body }) => {
    await ack();
    const click = parseButtonClick(body);
    if (!click) return;
    delivery.tasks.run("retry", () => retry(delivery, cardClick(ctx, click), click.value));
  });

  app.view(EDIT_CALLBACK_ID, async ({ ack, body }) => {
    const submission = parseEditSubmission(body);
    if (!submission) {
      await ack();
      return;
    }
    if (submission.task.length === 0) {
      await ack(slack.renderEditRefusal(delivery.userLocales.get(submission.user) ?? "en"));
      return;
    }
    await ack();
    const { context, user, task } = submission;
    const thread = { team: context.team, channel: context.channel, threadTs: context.threadTs };
    const click: CardClick<slack.SlackMessage> = {
      sink: ctx.outbox.thread(thread),
      threadKey: slackThreadKey(thread),
      cardId: context.messageTs,
      user,
    };
    const input = { decision: "edit", by: user, editedTask: task } as const;
    delivery.tasks.run("decide edit", () => decide(delivery, click, context.approvalId, input));
  });
}

function cardClick(ctx: SlackContext, click: ButtonClick): CardClick<slack.SlackMessage> {
  const thread = { team: click.team, channel: click.channel, threadTs: click.threadTs };
  return {
    sink: ctx.outbox.thread(thread, { triggerId: click.triggerId, cardTs: click.messageTs }),
    threadKey: slackThreadKey(thread),
    cardId: click.messageTs,
    user: click.user,
  };
}
