import type { ThreadHistory } from "../../conversations/types.js";
import { t } from "../../i18n/index.js";
import { type Locale, OUTPUT_FORMATS } from "../../vocabulary/index.js";
import type { OctoCommand } from "./command.js";
import type { SlackMessage } from "./outbox.js";
import { escapeMrkdwn, shorten } from "./text.js";
import { say } from "./texts.js";

/**
 * Short ephemeral replies to `/octo` sub-commands: plain mrkdwn text, each line within Slack's limits.
 * (Results, progress, approvals, errors and help are the renderers' job.)
 */
const TURNS_SHOWN = 10;

function section(text: string) {
  return { type: "section", text: { type: "mrkdwn", text } };
}

/** The problem with a malformed command, followed by the help message's blocks. */
export function usageReply(
  usage: Extract<OctoCommand, { kind: "usage" }>,
  locale: Locale,
  commandName: string,
  help: SlackMessage,
): SlackMessage {
  const problem =
    usage.problem === "unknown_format"
      ? t(locale, "error.format_unknown", { format: usage.detail, formats: OUTPUT_FORMATS.join(", ") })
      : usage.problem === "bad_rewind"
        ? say(locale, "usage.bad_rewind", { command: commandName })
        : say(locale, "usage.empty", { command: commandName });
  const helpBlocks = help.blocks ?? [section(help.text)];
  return {
    text: `${problem}\n\n${help.text}`,
    blocks: [section(escapeMrkdwn(problem)), ...helpBlocks].slice(0, 50),
  };
}

export function historyReply(history: ThreadHistory, locale: Locale, commandName: string): SlackMessage {
  const session = history.session;
  const title = escapeMrkdwn(shorten(session?.title ?? "-", 200).text);
  const lines = [
    say(locale, "history.title", {
      title,
      turns: history.turns.length,
      status: session?.status ?? "-",
    }),
  ];
  const turns = history.turns.slice(-TURNS_SHOWN);
  for (const turn of turns) {
    lines.push(
      say(locale, "history.turn", {
        index: turn.index,
        request: escapeMrkdwn(shorten(turn.request, 150).text),
      }),
    );
  }
  for (const approval of history.pendingApprovals) {
    lines.push(say(locale, "history.pending", { step: approval.stepId, agent: approval.agent }));
  }
  lines.push(say(locale, "history.checkpoints", { count: history.checkpoints.length, command: commandName }));
  const text = lines.join("\n");
  return { text, blocks: [section(shorten(text, 3000).text)] };
}

export function plainReply(text: string): SlackMessage {
  return { text, blocks: [section(shorten(text, 3000).text)] };
}
