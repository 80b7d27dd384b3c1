import { type MessageKey, t } from "../../i18n/index.js";
import { type Locale, OUTPUT_FORMATS } from "../../vocabulary/index.js";

import type { DiscordMessage } from "./limits.js";
import { fieldText, NO_MENTIONS } from "./pack.js";

/**
 * Discord's `/octo` takes sub-commands with named options (the format is a choice), not Slack's free
 * text, so its forms are its own; the explanations are every platform's.
 */
function discordCommandHelp(command: string): readonly (readonly [string, MessageKey])[] {
  return [
    [`${command} ask request:… format:…`, "help.cmd.ask"],
    [`${command} history`, "help.cmd.history"],
    [`${command} rewind n:N`, "help.cmd.rewind"],
    [`${command} forget`, "help.cmd.forget"],
    [`${command} help`, "help.cmd.help"],
  ];
}

/** Usage help for the slash command (`commandName` as registered, e.g. `/octo`). */
export function renderHelp(locale: Locale, options: { commandName?: string } = {}): DiscordMessage {
  const command = options.commandName ?? "/octo";
  const formats = OUTPUT_FORMATS.map(
    (format) => `• \`${format}\` — ${fieldText(t(locale, `help.format.${format}` as MessageKey))}`,
  );
  const commands = discordCommandHelp(command);
  return {
    embeds: [
      {
        title: `🐙 ${t(locale, "help.title")}`,
        description: fieldText(t(locale, "help.intro")),
        color: 0x5865f2,
        fields: [
          { name: t(locale, "help.formats_title"), value: formats.join("\n") },
          {
            name: t(locale, "help.commands_title"),
            value: commands
              .map(([usage, key]) => `• \`${usage.replace(/`/g, "'")}\` — ${fieldText(t(locale, key))}`)
              .join("\n"),
          },
          { name: t(locale, "help.approvals_title"), value: fieldText(t(locale, "help.approvals")) },
        ],
      },
    ],
    allowed_mentions: NO_MENTIONS,
  };
}
