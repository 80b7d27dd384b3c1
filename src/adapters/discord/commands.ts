import type { APIInteractionResponse } from "discord.js";
import { describeError } from "../../conversations/index.js";
import {
  type AnsweredCommand,
  answerCommand,
  type CommandPlace,
  type OpenedThread,
} from "../../delivery/index.js";
import type { discord } from "../../renderers/index.js";
import { detectLocale, type Locale } from "../../vocabulary/index.js";
import { OCTO_COMMAND_NAME } from "./command-definition.js";
import { type DiscordContext, refusal, THREAD_PERMISSIONS } from "./context.js";
import { CLAIM_TTL_SECONDS, interactionClaimKey } from "./dedupe.js";
import type { ChannelPlace } from "./inbound.js";
import { localeOfDiscord, type ParsedInteraction, parseOctoInteraction } from "./interaction-parsing.js";
import { EPHEMERAL, isDiscordError, NO_PERMISSION, requestOf, THREAD_EXISTS } from "./outbox.js";
import type { InteractionReply } from "./reply.js";
import { DiscordThreadSink } from "./sink.js";
import { threadName } from "./text.js";
import { channelKeyPrefix, type DiscordThread, DM_GUILD, discordThreadKey } from "./thread-key.js";

type DiscordMessage = discord.DiscordMessage;

const COMMAND = `/${OCTO_COMMAND_NAME}`;

/**
 * `/octo`: help and usage are answered in the first response itself (nothing to look up); everything
 * else is deferred first, before any store or model work, and answered from the background. `ask`'s
 * deferred reply becomes its thread's first message and shows the run's progress; `history`, `rewind`
 * and `forget` answer in an ephemeral deferred reply. Replies outside a request speak the person's
 * Discord language.
 */
export async function onCommand(ctx: DiscordContext, ix: ParsedInteraction, reply: InteractionReply) {
  const { delivery } = ctx;
  const { renderer, log } = delivery;
  const command = parseOctoInteraction(ix.data);
  const personal = localeOfDiscord(ix.locale);
  const where = { threadKey: channelKeyOf(ix), locale: personal };
  const fields = { interaction: ix.id, user: ix.user, channel: ix.channelId };
  switch (command.kind) {
    case "help":
      await reply.respondFirst(ephemeral(renderer.help(personal, { commandName: COMMAND })));
      return;
    case "unknown":
      log.warn({ ...fields, command: command.name }, "unknown Discord command; answered with the help");
      await reply.respondFirst(ephemeral(renderer.help(personal, { commandName: COMMAND })));
      return;
    case "usage": {
      log.info({ ...fields, problem: command.problem }, "Discord command refused: usage");
      const message =
        command.problem === "empty"
          ? refusal(ctx, "input_empty", where)
          : renderer.notice({ ...command, command: COMMAND }, personal);
      await reply.respondFirst(ephemeral(message));
      return;
    }
  }
  if (command.kind === "run" && command.request.length > ctx.settings.maxInputChars) {
    log.info({ ...fields, length: command.request.length }, "Discord command refused: request too long");
    const params = { length: command.request.length, max: ctx.settings.maxInputChars };
    await reply.respondFirst(ephemeral(refusal(ctx, "input_too_long", where, params)));
    return;
  }
  // Respond first: Discord hears back within its 3 s before anything is looked up or run.
  const deferral: APIInteractionResponse =
    command.kind === "run" ? { type: 5 } : { type: 5, data: { flags: EPHEMERAL } };
  if (!(await reply.respondFirst(deferral))) return;
  const locale: Locale = command.kind === "run" && detectLocale(command.request) === "ko" ? "ko" : personal;
  delivery.tasks.run(`command ${command.kind}`, async () => {
    try {
      if (!(await delivery.ledger.claimEvent(interactionClaimKey(ix.id), CLAIM_TTL_SECONDS))) return;
      const place = await placeOf(ctx, ix);
      await answerCommand(delivery, commandPlace(ctx, ix, reply, place, command), command, locale);
    } catch (error) {
      // The deferred reply would say "thinking" for ever: it says what went wrong instead.
      log.error({ ...fields, err: error }, "Discord command failed");
      const failed = { kind: "failed", message: describeError(error, locale).message } as const;
      await reply.editOriginal(renderer.notice(failed, locale)).catch(() => undefined);
    }
  });
}

function ephemeral(message: DiscordMessage): APIInteractionResponse {
  return { type: 4, data: { ...requestOf(message).body, flags: EPHEMERAL } } as APIInteractionResponse;
}

/** A key naming the channel, for refusals that belong to no conversation. */
function channelKeyOf(ix: ParsedInteraction): string {
  return channelKeyPrefix(ix.guildId ?? DM_GUILD, ix.channelId ?? "-");
}

type CommandWhere =
  | { kind: "channel"; guild: string; channel: string }
  | { kind: "thread"; thread: DiscordThread }
  | { kind: "dm"; channel: string };

/** Where the command was typed; an unknown channel in a guild is taken for a text channel. */
async function placeOf(ctx: DiscordContext, ix: ParsedInteraction): Promise<CommandWhere> {
  const channel = ix.channelId ?? "";
  if (!ix.guildId) return { kind: "dm", channel };
  const place: ChannelPlace | undefined = await ctx.places.of(channel, ix.channelHint);
  if (place?.kind === "thread")
    return { kind: "thread", thread: { guild: ix.guildId, channel: place.parentId, thread: channel } };
  return { kind: "channel", guild: ix.guildId, channel };
}

function commandPlace(
  ctx: DiscordContext,
  ix: ParsedInteraction,
  reply: InteractionReply,
  where: CommandWhere,
  command: AnsweredCommand,
): CommandPlace<DiscordMessage> {
  const prefix =
    where.kind === "thread"
      ? discordThreadKey(where.thread)
      : where.kind === "dm"
        ? channelKeyPrefix(DM_GUILD, where.channel)
        : channelKeyPrefix(where.guild, where.channel);
  return {
    user: ix.user,
    commandName: COMMAND,
    // In a thread, "here" is that thread's conversation; elsewhere, every conversation of the channel.
    threadKeyPrefix: prefix,
    // The ephemeral deferral of history, rewind and forget.
    reply: async (message) => void (await reply.editOriginal(message)),
    // The deferral of `ask` is public: it goes, and the person alone is told why.
    replyToCommand: async (message) => {
      await reply.deleteOriginal().catch(() => undefined);
      await reply.followUp(message, true);
    },
    openThread: (root) =>
      openThread(ctx, reply, where, root, threadName(command.kind === "run" ? command.request : "")),
    cannotPostHere: (error) => isDiscordError(error, ...NO_PERMISSION),
    cannotPostNotice: { kind: "missing_permissions", permissions: THREAD_PERMISSIONS },
  };
}

/**
 * The deferred reply becomes the request's root message; in a text channel the thread is started on it
 * (and takes its id). The root shows the request as text so the progress, as embeds, can be added to
 * it; a request too long for that keeps its embed, and the progress gets a card of its own.
 */
async function openThread(
  ctx: DiscordContext,
  reply: InteractionReply,
  where: CommandWhere,
  root: DiscordMessage,
  name: string,
): Promise<OpenedThread<DiscordMessage>> {
  const asText = ctx.delivery.renderer.plain(root);
  const posted = await reply.editOriginal(asText ?? root);
  let thread: DiscordThread;
  switch (where.kind) {
    case "channel": {
      const id = await ctx.outbox.startThread(where.channel, posted.id, name).catch((error: unknown) => {
        if (isDiscordError(error, THREAD_EXISTS)) return posted.id;
        throw error;
      });
      thread = { guild: where.guild, channel: where.channel, thread: id };
      break;
    }
    case "thread":
      thread = where.thread;
      break;
    case "dm":
      thread = { guild: DM_GUILD, channel: where.channel, thread: where.channel };
      break;
  }
  return {
    sink: new DiscordThreadSink(ctx.outbox, ctx.tokens, thread),
    threadKey: discordThreadKey(thread),
    progressCard: asText ? posted.id : undefined,
  };
}
