import { type MessageKey, t } from "../../i18n/index.js";
import { type Locale, OUTPUT_FORMATS } from "../../vocabulary/index.js";
import type { ConsoleMessage } from "./result.js";

/**
 * Console help: every interactive command, with `commandName` the one-shot form for scripts, and on a
 * terminal the editing keys.
 */
export function renderHelp(
  locale: Locale,
  options: { commandName?: string; terminal?: boolean } = {},
): ConsoleMessage {
  const commands: [string, MessageKey][] = [
    [`/format ${OUTPUT_FORMATS.join("|")}`, "help.cmd.format"],
    ["/attach [path]", "console.help_attach"],
    ["/detach", "console.help_detach"],
    ["/history", "help.cmd.history"],
    ["/rewind N", "help.cmd.rewind"],
    ["/rewind <checkpoint id>", "console.help_rewind_checkpoint"],
    ["/sessions", "help.cmd.sessions"],
    ["/new", "help.cmd.new"],
    ["/forget", "help.cmd.forget"],
    ["/help", "help.cmd.help"],
    ["/quit, /exit", "console.help_quit"],
  ];
  const width = Math.max(...commands.map(([usage]) => usage.length));
  const lines = [
    t(locale, "help.title"),
    t(locale, "help.intro"),
    "",
    t(locale, "help.formats_title"),
    ...OUTPUT_FORMATS.map(
      (format) => `  ${format.padEnd(7)} ${t(locale, `help.format.${format}` as MessageKey)}`,
    ),
    "",
    t(locale, "help.commands_title"),
    ...commands.map(([usage, key]) => `  ${usage.padEnd(width)}  ${t(locale, key)}`),
  ];
  if (options.commandName) lines.push(`  ${options.commandName} ask "…" --format report`);
  lines.push("", t(locale, "help.approvals_title"), `  ${t(locale, "help.approvals")}`);
  if (options.terminal)
    lines.push("", t(locale, "console.help_keys_title"), `  ${t(locale, "console.help_keys")}`);
  return { text: lines.join("\n") };
}
