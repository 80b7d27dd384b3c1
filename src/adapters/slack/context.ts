import type { DeliveryLedger } from "../../conversations/ledger.js";
import type { ConversationApi } from "../../conversations/types.js";
import type { Logger } from "../../log.js";
import type { Locale } from "../../vocabulary/index.js";
import type { ApproverGroups } from "./approver-groups.js";
import type { SlackFiles } from "./attachment-download.js";
import type { BackgroundTasks } from "./background.js";
import type { SlackOutbox } from "./outbox.js";

/** What the Slack listeners share: the one conversation service, the outbox and bookkeeping. */
export interface SlackContext {
  conversations: ConversationApi;
  /** Event dedupe and "does this thread hold a conversation". */
  ledger: DeliveryLedger;
  outbox: SlackOutbox;
  /** Reads files people attach (url_private_download with the bot token). */
  files: SlackFiles;
  log: Logger;
  tasks: BackgroundTasks;
  /** People who may decide any approval (the user ids in OCTO_APPROVERS), besides its requester. */
  approvers: readonly string[];
  /** The user groups in OCTO_APPROVERS, whose members may decide too. */
  approverGroups: ApproverGroups;
  /** The bot's own user id, known after auth.test. */
  botUserId: () => string | undefined;
  /** Spacing of progress card updates per card. */
  progressIntervalMs: number;
  /** Locale each person last wrote in, for replies outside a conversation (help, usage). */
  userLocales: Map<string, Locale>;
}
