import type { App, RespondFn, SlashCommand } from "@slack/bolt";
import { z } from "zod";
import { answerCommand, type CommandPlace, parseOctoCommand, replyLocale } from "../../delivery/index.js";
import type { slack } from "../../renderers/index.js";
import type { SlackContext } from "./context.js";
import { CLAIM_TTL_SECONDS, commandClaimKey } from "./dedupe.js";
import { blocksOf, isSlackError } from "./sink.js";
import { slackTextToPlain } from "./text.js";
import { channelKeyPrefix, slackThreadKey } from "./thread-key.js";

/**
 * `/octo` (whatever the manifest names it: the listener takes every command and shows its real name in
 * help). Help and usage go back in the acknowledgement itself; everything else is acknowledged empty
 * first and answered from the background.
 */
/**
 * What a command must say about where it came from: its thread keys, replies and dedupe are built from
 * these, so one without them (never from Slack itself) is acknowledged and dropped.
 */
const CommandOriginSchema = z.looseObject({
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  trigger_id: z.string().min(1),
  text: z.string().optional(),
});

export function listenForCommands(app: App, ctx: SlackContext): void {
  const { delivery } = ctx;
  app.command(/.*/, async ({ command, ack, respond }) => {
    const origin = CommandOriginSchema.safeParse(command);
    if (!origin.success) {
      await ack();
      delivery.log.warn(
        {
          command: String(command.command),
          missing: origin.error.issues.map((issue) => issue.path.join(".")),
        },
        "Slack command without its team, channel, user or trigger; ignored",
      );
      return;
    }
    command.text ??= "";
    const parsed = parseOctoCommand(slackTextToPlain(command.text));
    const locale = replyLocale(delivery, command.user_id, command.text);
    const name = command.command;
    if (parsed.kind === "help") {
      await ack(ephemeral(delivery.renderer.help(locale, { commandName: name })));
      return;
    }
    if (parsed.kind === "usage") {
      const { problem, detail } = parsed;
      await ack(
        ephemeral(delivery.renderer.notice({ kind: "usage", problem, detail, command: name }, locale)),
      );
      return;
    }
    await ack();
    delivery.tasks.run(`command ${parsed.kind}`, async () => {
      const claimKey = commandClaimKey(command.trigger_id);
      if (parsed.kind === "run" && !(await delivery.ledger.claimEvent(claimKey, CLAIM_TTL_SECONDS))) return;
      await answerCommand(delivery, commandPlace(ctx, command, respond), parsed, locale);
    });
  });
}

function ephemeral(message: slack.SlackMessage) {
  return { response_type: "ephemeral" as const, text: message.text, ...blocksOf(message) };
}

function commandPlace(
  ctx: SlackContext,
  command: SlashCommand,
  respond: RespondFn,
): CommandPlace<slack.SlackMessage> {
  const { team_id: team, channel_id: channel, user_id: user } = command;
  const replyToCommand = async (message: slack.SlackMessage) => void (await respond(ephemeral(message)));
  return {
    user,
    commandName: command.command,
    threadKeyPrefix: channelKeyPrefix(team, channel),
    // Not a member of the channel: the response_url still reaches the person.
    reply: (message) =>
      ctx.outbox.ephemeral(channel, user, undefined, message).catch(() => replyToCommand(message)),
    replyToCommand,
    openThread: async (root) => {
      const thread = { team, channel, threadTs: await ctx.outbox.post(channel, undefined, root) };
      return { sink: ctx.outbox.thread(thread), threadKey: slackThreadKey(thread) };
    },
    cannotPostHere: (error) => isSlackError(error, "not_in_channel", "channel_not_found"),
  };
}
