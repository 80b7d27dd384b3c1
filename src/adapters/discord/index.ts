export {
  createDiscordAdapter,
  type DiscordAdapter,
  type DiscordAdapterOptions,
} from "./adapter.js";
export { OCTO_COMMAND, OCTO_COMMAND_NAME, OCTO_OPTIONS, OCTO_SUBCOMMANDS } from "./command-definition.js";
export type { InteractionIntake, InteractionResponder } from "./interactions.js";
export { type DiscordSettings, discordSettings } from "./settings.js";
export {
  channelKeyPrefix,
  type DiscordThread,
  DM_GUILD,
  discordThreadKey,
  parseDiscordThreadKey,
} from "./thread-key.js";
