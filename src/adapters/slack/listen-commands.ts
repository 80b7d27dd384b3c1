import type { App, RespondFn, SlashCommand, types } from "@slack/bolt";
import { describeError } from "../../conversations/errors.js";
import { detectLocale, type Locale } from "../../vocabulary/index.js";
import { type OctoCommand, parseOctoCommand } from "./command.js";
import { historyReply, plainReply, usageReply } from "./command-replies.js";
import type { SlackContext } from "./context.js";
import { CLAIM_TTL_SECONDS, commandClaimKey } from "./dedupe.js";
import { isSlackError, type SlackMessage } from "./outbox.js";
import { helpMessage } from "./rendering.js";
import { runRequest } from "./runs.js";
import { escapeMrkdwn, shorten, slackTextToPlain } from "./text.js";
import { say } from "./texts.js";
import { channelKeyPrefix } from "./thread-key.js";

/**
 * `/octo` (whatever the manifest names it: the listener takes every command and shows its real name in
 * help). Help and usage go back in the acknowledgement itself; everything else is acknowledged empty
 * first and answered from the background.
 */
const ROOT_REQUEST_CHARS = 2_500;

export function listenForCommands(app: App, ctx: SlackContext): void {
  app.command(/.*/, async ({ command, ack, respond }) => {
    const parsed = parseOctoCommand(slackTextToPlain(command.text));
    const locale = localeFor(ctx, command.user_id, command.text);
    const name = command.command;
    if (parsed.kind === "help" || parsed.kind === "usage") {
      const help = helpMessage(locale, name);
      await ack(ephemeral(parsed.kind === "help" ? help : usageReply(parsed, locale, name, help)));
      return;
    }
    await ack();
    ctx.tasks.run(`command ${parsed.kind}`, () => answer(ctx, parsed, command, respond, locale));
  });
}

function ephemeral(message: SlackMessage) {
  return {
    response_type: "ephemeral" as const,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks as (types.KnownBlock | types.Block)[] } : {}),
  };
}

function localeFor(ctx: SlackContext, user: string, text: string): Locale {
  return detectLocale(text) === "ko" ? "ko" : (ctx.userLocales.get(user) ?? "en");
}

async function answer(
  ctx: SlackContext,
  parsed: Exclude<OctoCommand, { kind: "help" | "usage" }>,
  command: SlashCommand,
  respond: RespondFn,
  locale: Locale,
): Promise<void> {
  const reply = (message: SlackMessage) =>
    ctx.outbox
      .ephemeral(command.channel_id, command.user_id, undefined, message)
      // Not a member of the channel: the response_url still reaches the person.
      .catch(() => respond(ephemeral(message)));

  if (parsed.kind === "run") {
    if (!(await ctx.ledger.claimEvent(commandClaimKey(command.trigger_id), CLAIM_TTL_SECONDS))) return;
    const shown = shorten(parsed.request, ROOT_REQUEST_CHARS);
    const rootText = [
      say(locale, "root.request", {
        user: command.user_id,
        format: parsed.format ? say(locale, "root.format", { format: parsed.format }) : "",
        request: `>${escapeMrkdwn(shown.text).replace(/\n/g, "\n>")}`,
      }),
      ...(shown.shortened ? [say(locale, "root.shortened")] : []),
    ].join("\n");
    let rootTs: string;
    try {
      rootTs = await ctx.outbox.post(command.channel_id, undefined, { text: rootText });
    } catch (error) {
      const text = isSlackError(error, "not_in_channel", "channel_not_found")
        ? say(locale, "not_in_channel")
        : describeError(error, locale).message;
      await respond(ephemeral({ text }));
      return;
    }
    await runRequest(ctx, {
      thread: { team: command.team_id, channel: command.channel_id, threadTs: rootTs },
      user: command.user_id,
      text: parsed.request,
      format: parsed.format,
    });
    return;
  }

  const latest = (await ctx.conversations.sessions(command.user_id)).find((session) =>
    session.threadKey.startsWith(channelKeyPrefix(command.team_id, command.channel_id)),
  );
  if (!latest) {
    await reply(plainReply(say(locale, parsed.kind === "forget" ? "forget.none" : "history.none")));
    return;
  }
  const threadKey = latest.threadKey;
  const threadLocale = latest.locale;
  switch (parsed.kind) {
    case "history":
      await reply(historyReply(await ctx.conversations.history(threadKey), threadLocale, command.command));
      return;
    case "rewind":
      try {
        const outcome = await ctx.conversations.rewind(threadKey, { turns: parsed.turns });
        await reply(plainReply(say(threadLocale, "rewind.done", { n: parsed.turns, turns: outcome.turns })));
      } catch (error) {
        await reply(plainReply(describeError(error, threadLocale).message));
      }
      return;
    case "forget": {
      const existed = await ctx.conversations.forget(threadKey);
      const title = escapeMrkdwn(shorten(latest.title, 200).text);
      await reply(
        plainReply(existed ? say(threadLocale, "forget.done", { title }) : say(threadLocale, "forget.none")),
      );
      return;
    }
  }
}
