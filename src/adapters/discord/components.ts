import type { APIModalInteractionResponseCallbackData } from "discord.js";
import {
  type CardClick,
  onCardAction,
  onEditSubmitted,
  openEditForm,
  type ThreadSink,
} from "../../delivery/index.js";
import { discord } from "../../renderers/index.js";
import type { Locale } from "../../vocabulary/index.js";
import { type DiscordContext, refusal } from "./context.js";
import { CLAIM_TTL_SECONDS, interactionClaimKey } from "./dedupe.js";
import {
  localeOfDiscord,
  type ParsedInteraction,
  parseButton,
  parseEditSubmission,
} from "./interaction-parsing.js";
import type { InteractionReply } from "./reply.js";
import { DiscordThreadSink } from "./sink.js";
import { type DiscordThread, DM_GUILD, discordThreadKey } from "./thread-key.js";

type DiscordMessage = discord.DiscordMessage;

/**
 * Card buttons and the edit modal. Approve, reject and retry are acknowledged with a deferred update
 * before anything else; edit answers with the modal itself (Discord allows no modal after a deferral),
 * after the same check the decision gets. Refusals go to the person alone, as ephemeral follow-ups.
 * Who may decide is the service's rule; a member's roles count for OCTO_APPROVERS role ids.
 */
export async function onComponent(ctx: DiscordContext, ix: ParsedInteraction, reply: InteractionReply) {
  const { log } = ctx.delivery;
  const button = parseButton(ix.data);
  const cardId = ix.messageId;
  if (!button || !cardId) {
    log.warn({ interaction: ix.id, data: ix.data }, "Discord button not ours; acknowledged and ignored");
    await reply.respondFirst({ type: 6 });
    return;
  }
  if (button.action === "edit") {
    // The modal must be the first response: no deferral, no claim before it.
    const click = await clickOf(ctx, ix, reply, cardId, { openForm: true });
    if (click) await openEditForm(ctx.delivery, click, button.id);
    return;
  }
  if (!(await reply.respondFirst({ type: 6 }))) return;
  reply.ownMessage(cardId);
  ctx.delivery.tasks.run(`button ${button.action}`, async () => {
    if (!(await ctx.delivery.ledger.claimEvent(interactionClaimKey(ix.id), CLAIM_TTL_SECONDS))) return;
    const click = await clickOf(ctx, ix, reply, cardId, { openForm: false });
    if (click) onCardAction(ctx.delivery, button.action, click, button.id);
  });
}

export async function onModalSubmit(ctx: DiscordContext, ix: ParsedInteraction, reply: InteractionReply) {
  const submission = parseEditSubmission(ix.data);
  if (!submission) {
    ctx.delivery.log.warn({ interaction: ix.id }, "Discord modal not ours; acknowledged and ignored");
    await reply.respondFirst({ type: 6 });
    return;
  }
  if (submission.task.length === 0) {
    const locale = ctx.delivery.userLocales.get(ix.user) ?? localeOfDiscord(ix.locale);
    await reply.ephemeral(refusal(ctx, "input_empty", { threadKey: "discord:-", locale }));
    return;
  }
  if (!(await reply.respondFirst({ type: 6 }))) return;
  ctx.delivery.tasks.run("edit submitted", async () => {
    if (!(await ctx.delivery.ledger.claimEvent(interactionClaimKey(ix.id), CLAIM_TTL_SECONDS))) return;
    const click = await clickOf(ctx, ix, reply, submission.cardMessageId, { openForm: false });
    if (click) onEditSubmitted(ctx.delivery, click, submission.approvalId, submission.task);
  });
}

/** The click as the delivery layer's flows take it: the card's thread, the person and their roles. */
async function clickOf(
  ctx: DiscordContext,
  ix: ParsedInteraction,
  reply: InteractionReply,
  cardId: string,
  options: { openForm: boolean },
): Promise<CardClick<DiscordMessage> | undefined> {
  const thread = await threadOf(ctx, ix);
  if (!thread) {
    const locale = localeOfDiscord(ix.locale);
    await reply.ephemeral(refusal(ctx, "internal", { threadKey: "discord:-", locale }));
    return undefined;
  }
  const sink = new InteractionSink(ctx, thread, reply, options.openForm ? cardId : undefined);
  return { sink, threadKey: discordThreadKey(thread), cardId, user: ix.user, memberOf: ix.roles };
}

/** The conversation a card belongs to: the thread (or DM) it was posted in. */
async function threadOf(ctx: DiscordContext, ix: ParsedInteraction): Promise<DiscordThread | undefined> {
  const channel = ix.channelId;
  if (!channel) return undefined;
  if (!ix.guildId) return { guild: DM_GUILD, channel, thread: channel };
  const place = await ctx.places.of(channel, ix.channelHint);
  if (!place) return undefined;
  if (place.kind === "thread") return { guild: ix.guildId, channel: place.parentId, thread: channel };
  // A card outside a thread (its thread could not be started): the channel is the conversation's place.
  return { guild: ix.guildId, channel, thread: channel };
}

/**
 * The card's thread, plus what the interaction allows: private refusals as ephemeral messages and,
 * for an edit click, the modal as its first response.
 */
class InteractionSink extends DiscordThreadSink implements ThreadSink<DiscordMessage> {
  readonly openForm?: ThreadSink<DiscordMessage>["openForm"];

  constructor(
    private readonly ctx: DiscordContext,
    thread: DiscordThread,
    private readonly reply: InteractionReply,
    formCardId: string | undefined,
  ) {
    super(ctx.outbox, ctx.tokens, thread);
    if (formCardId) this.openForm = (form, locale) => this.showModal(form, formCardId, locale);
  }

  async postPrivately(_user: string, message: DiscordMessage): Promise<void> {
    await this.reply.ephemeral(message);
  }

  private async showModal(
    form: Parameters<NonNullable<ThreadSink<DiscordMessage>["openForm"]>>[0],
    cardId: string,
    locale: Locale,
  ): Promise<void> {
    const modal = discord.renderEditModal(form, cardId, locale);
    const data = modal as APIModalInteractionResponseCallbackData;
    if (await this.reply.respondFirst({ type: 9, data })) return;
    // The window for a modal closed (a slow look-up): the person is asked to click again.
    this.ctx.delivery.log.warn({ approvalId: form.approvalId }, "Discord edit modal not opened in time");
    await this.reply.ephemeral(this.ctx.delivery.renderer.notice({ kind: "form_unavailable" }, locale));
  }
}
