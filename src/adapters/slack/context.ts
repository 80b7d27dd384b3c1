import type { AttachmentReader, Delivery } from "../../delivery/index.js";
import type { slack } from "../../renderers/index.js";
import type { SlackOutbox } from "./sink.js";

/** What the Slack listeners share: the delivery layer set up for Slack, the Web API calls, file reads. */
export interface SlackContext {
  delivery: Delivery<slack.SlackMessage>;
  outbox: SlackOutbox;
  /** Reads files people attach (url_private_download with the bot token). */
  files: AttachmentReader;
  /** The bot's own user id, known after auth.test. */
  botUserId: () => string | undefined;
}
