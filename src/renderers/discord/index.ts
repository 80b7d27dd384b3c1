import { type PlatformRenderer, rendererOf } from "../types.js";
import { renderApprovalCard } from "./approval.js";
import { renderError } from "./error.js";
import { renderHelp } from "./help.js";
import { DISCORD_LIMITS, type DiscordMessage } from "./limits.js";
import { renderNotice } from "./notice.js";
import { renderProgress } from "./progress.js";
import { renderResult } from "./result.js";

export type { ApprovalDecided } from "../types.js";
export { customId, DISCORD_ACTIONS, renderApprovalCard } from "./approval.js";
export {
  EDIT_INPUT_ID,
  EDIT_MODAL_PREFIX,
  editModalId,
  parseEditModalId,
  renderEditModal,
} from "./edit-modal.js";
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
  type DiscordModal,
  DiscordModalSchema,
  embedLength,
} from "./limits.js";
export { escapeDiscord, neutralizeMentions } from "./markdown.js";
export { renderNotice } from "./notice.js";
export { renderProgress } from "./progress.js";
export { renderResult } from "./result.js";

/** Discord's renderer: embeds with buttons; the plain form keeps each embed's words as content. */
export const renderer: PlatformRenderer<DiscordMessage> = rendererOf(
  { renderApprovalCard, renderError, renderHelp, renderNotice, renderProgress, renderResult },
  plainDiscord,
);

function plainDiscord(message: DiscordMessage): DiscordMessage | undefined {
  if (!message.embeds?.length && !message.components?.length) return undefined;
  const words = [
    message.content,
    ...(message.embeds ?? []).flatMap((embed) => [embed.title, embed.description]),
  ].filter((part): part is string => typeof part === "string" && part.length > 0);
  const content = words.join("\n");
  // Too long for plain content: a refused rich message has nothing smaller to fall back to.
  if (content.length === 0 || content.length > DISCORD_LIMITS.content) return undefined;
  return { content, allowed_mentions: message.allowed_mentions };
}
