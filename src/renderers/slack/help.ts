import { type MessageKey, t } from "../../i18n/index.js";
import { type Locale, OUTPUT_FORMATS } from "../../vocabulary/index.js";
import { slashCommandHelp } from "../help-view.js";
import { header, mrkdwnSections, type SlackMessage } from "./blocks.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { fallbackText } from "./pack.js";

/** Usage help for the slash command and mentions (`commandName` as registered, e.g. `/octo`). */
export function renderHelp(locale: Locale, options: { commandName?: string } = {}): SlackMessage {
  const command = escapeMrkdwn(options.commandName ?? "/octo");
  const formats = OUTPUT_FORMATS.map(
    (format) => `• \`${format}\` — ${escapeMrkdwn(t(locale, `help.format.${format}` as MessageKey))}`,
  );
  const commands = slashCommandHelp(command);
  return {
    text: fallbackText(t(locale, "help.title")),
    blocks: [
      header(`🐙 ${t(locale, "help.title")}`),
      ...mrkdwnSections(escapeMrkdwn(t(locale, "help.intro"))),
      ...mrkdwnSections(`*${escapeMrkdwn(t(locale, "help.formats_title"))}*\n${formats.join("\n")}`),
      ...mrkdwnSections(
        `*${escapeMrkdwn(t(locale, "help.commands_title"))}*\n${commands.map(([usage, key]) => `• \`${usage}\` — ${escapeMrkdwn(t(locale, key))}`).join("\n")}`,
      ),
      ...mrkdwnSections(
        `*${escapeMrkdwn(t(locale, "help.approvals_title"))}*\n${escapeMrkdwn(t(locale, "help.approvals"))}`,
      ),
    ],
  };
}
