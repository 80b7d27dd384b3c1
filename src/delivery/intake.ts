import type { Attachment } from "../conversations/types.js";
import type { OutputFormat } from "../vocabulary/index.js";
import { type AttachmentReader, readAttachments } from "./attachment-download.js";
import type { FileRef } from "./attachments.js";
import type { Delivery } from "./context.js";
import { runRequest } from "./runs.js";
import type { ThreadSink } from "./sink.js";

/**
 * A person's message after the platform acknowledged and parsed it: a plain thread reply counts only
 * where the thread already holds a conversation; every message is claimed once (platforms redeliver);
 * attachments are read under the policy; then the run.
 */
export interface InboundMessage {
  threadKey: string;
  /** Dedupe identity of the message (the platform's own ids), claimed before anything is done. */
  claimKey: string;
  claimTtlSeconds: number;
  /** A mention or a DM always asks for a run; a plain reply in a thread only continues a conversation. */
  threadReply: boolean;
  user: string;
  text: string;
  /** Where the platform lets a message choose one (see `splitFormatPrefix`); else the configured default. */
  format?: OutputFormat | undefined;
  files: readonly FileRef[];
  /** What logs name the delivery by (the platform's event id, ...). */
  logFields: Record<string, unknown>;
  /** Told once the request is kept as a job, refused or ignored: when the platform may acknowledge it. */
  onKept?: () => void;
}

export async function acceptMessage<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  files: AttachmentReader,
  message: InboundMessage,
): Promise<void> {
  const { log } = ctx;
  // Checked before claiming: people talking in threads the bot has no part in cost one read, no write.
  if (message.threadReply && !(await continuesConversation(ctx, message))) return message.onKept?.();
  log.info(
    { ...message.logFields, user: message.user, files: message.files.length },
    `${ctx.platformName} request received`,
  );
  const attachments: Attachment[] | undefined =
    message.files.length > 0 ? await readAttachments(files, message.files) : undefined;
  await runRequest(ctx, sink, {
    threadKey: message.threadKey,
    user: message.user,
    text: message.text,
    format: message.format,
    attachments,
    quiet: message.threadReply,
    // Claimed with the request's job in one transaction: a redelivery runs nothing, nothing accepted is lost.
    claim: { key: message.claimKey, ttlSeconds: message.claimTtlSeconds },
    onKept: message.onKept,
  });
}

async function continuesConversation<M>(ctx: Delivery<M>, message: InboundMessage): Promise<boolean> {
  try {
    if (await ctx.ledger.hasConversation(message.threadKey)) return true;
    ctx.log.trace({ threadKey: message.threadKey }, "thread reply outside a conversation ignored");
    return false;
  } catch (error) {
    ctx.log.error(
      { err: error, ...message.logFields },
      "could not tell whether a thread holds a conversation",
    );
    return false;
  }
}
