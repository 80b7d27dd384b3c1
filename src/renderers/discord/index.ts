export type { ApprovalDecided } from "../types.js";
export { customId, DISCORD_ACTIONS, renderApprovalCard } from "./approval.js";
export { renderError } from "./error.js";
export { renderHelp } from "./help.js";
export {
  DISCORD_LIMITS,
  type DiscordActionRow,
  type DiscordAttachment,
  type DiscordButton,
  type DiscordEmbed,
  DiscordEmbedSchema,
  type DiscordMessage,
  DiscordMessageSchema,
  embedLength,
} from "./limits.js";
export { escapeDiscord, neutralizeMentions } from "./markdown.js";
export { renderProgress } from "./progress.js";
export { renderResult } from "./result.js";
