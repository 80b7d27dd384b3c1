import type { Delivery } from "./context.js";
import { type CardClick, decide, openEditForm } from "./decide.js";
import { rateAnswer } from "./feedback.js";
import { retry } from "./retry.js";

/** What a card's buttons ask for; each platform maps its own action ids onto these. */
export type CardAction = "approve" | "reject" | "edit" | "retry" | "feedback";

/**
 * A button click the platform has acknowledged and parsed (`value` is the opaque id the button
 * carries), handed to its flow in the background. The edit form opens at once rather than behind other
 * work: the platform's permission to open it dies within seconds (Slack's trigger id: three).
 */
export function onCardAction<M>(
  ctx: Delivery<M>,
  action: CardAction,
  click: CardClick<M>,
  value: string,
): void {
  switch (action) {
    case "approve":
    case "reject":
      ctx.tasks.run(`decide ${action}`, () =>
        decide(ctx, click, value, { decision: action, by: click.user }),
      );
      return;
    case "edit":
      ctx.tasks.run("open edit form", () => openEditForm(ctx, click, value));
      return;
    case "retry":
      ctx.tasks.run("retry", () => retry(ctx, click, value));
      return;
    case "feedback":
      ctx.tasks.run("feedback", () => rateAnswer(ctx, click, value));
  }
}

/** The edit form sent back with a (non-empty) task: decided as an edit of the step. */
export function onEditSubmitted<M>(
  ctx: Delivery<M>,
  click: CardClick<M>,
  approvalId: string,
  task: string,
): void {
  const input = { decision: "edit", by: click.user, editedTask: task } as const;
  ctx.tasks.run("decide edit", () => decide(ctx, click, approvalId, input));
}
