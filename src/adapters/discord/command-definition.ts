import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { OUTPUT_FORMATS } from "../../vocabulary/index.js";

/**
 * `/octo` as Discord shows it: sub-commands with typed options instead of Slack's free text, so the
 * format is a choice and `rewind`'s count an integer Discord itself checks. The registration script
 * sends exactly this; the adapter reads interactions by the same names.
 */
export const OCTO_COMMAND_NAME = "octo";

export const OCTO_SUBCOMMANDS = {
  ask: "ask",
  history: "history",
  rewind: "rewind",
  forget: "forget",
  help: "help",
} as const;

export const OCTO_OPTIONS = { request: "request", format: "format", turns: "n" } as const;

/** Discord's cap on a string option's length (6,000 is the whole command's). */
export const REQUEST_MAX_LENGTH = 6_000;

export const OCTO_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: OCTO_COMMAND_NAME,
  type: ApplicationCommandType.ChatInput,
  description: "Ask Octostrator's agents, or manage this channel's conversations",
  description_localizations: { ko: "Octostrator 에이전트에게 요청하거나 이 채널의 대화를 관리합니다" },
  // Guild channels and DMs with the bot (contexts 0 and 1); user installs are not offered.
  contexts: [0, 1],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: OCTO_SUBCOMMANDS.ask,
      description: "Start a conversation in a new thread",
      description_localizations: { ko: "새 스레드에서 대화를 시작합니다" },
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: OCTO_OPTIONS.request,
          description: "What you want done",
          description_localizations: { ko: "요청 내용" },
          required: true,
          max_length: REQUEST_MAX_LENGTH,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: OCTO_OPTIONS.format,
          description: "How the answer comes back (default: the server's)",
          description_localizations: { ko: "답변 형식 (기본값: 서버 설정)" },
          required: false,
          choices: OUTPUT_FORMATS.map((format) => ({ name: format, value: format })),
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: OCTO_SUBCOMMANDS.history,
      description: "Show your latest conversation here",
      description_localizations: { ko: "이 채널에서 내 최근 대화를 보여 줍니다" },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: OCTO_SUBCOMMANDS.rewind,
      description: "Undo the last turns of your latest conversation here",
      description_localizations: { ko: "최근 대화의 마지막 턴을 되돌립니다" },
      options: [
        {
          type: ApplicationCommandOptionType.Integer,
          name: OCTO_OPTIONS.turns,
          description: "How many turns to undo",
          description_localizations: { ko: "되돌릴 턴 수" },
          required: true,
          min_value: 1,
          max_value: 1_000,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: OCTO_SUBCOMMANDS.forget,
      description: "Forget your latest conversation here",
      description_localizations: { ko: "이 채널의 최근 대화를 잊습니다" },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: OCTO_SUBCOMMANDS.help,
      description: "How to use Octostrator",
      description_localizations: { ko: "사용 방법" },
    },
  ],
};
