import type { MessageKey } from "../i18n/index.js";

/** The chat platforms' slash-command forms, each with the text that explains it: one list, not one per platform. */
export function slashCommandHelp(
  command: string,
): readonly (readonly [usage: string, explanation: MessageKey])[] {
  return [
    [`${command} [chat|graph|report|json|all] …`, "help.cmd.ask"],
    [`${command} history`, "help.cmd.history"],
    [`${command} rewind N`, "help.cmd.rewind"],
    [`${command} forget`, "help.cmd.forget"],
    [`${command} help`, "help.cmd.help"],
  ];
}
