import type { z } from "@hono/zod-openapi";
import type { Attachment, ConversationApi } from "../../../conversations/index.js";
import { notFound } from "./errors.js";
import { type Kept, keep, type RunStreams } from "./run-stream.js";
import type { DecisionSchema, MessageSchema } from "./schemas.js";
import { THREAD_PREFIX, threadKeyOf } from "./views.js";

/**
 * What the HTTP routes and the WebSocket both do: send a message into a session, decide one of its
 * approvals. Each resolves once the service kept the request (with the run to follow) or throws the
 * ApiError it refused it with; nothing is written for a request refused here.
 */

/** The conversation of the API session `sessionId`; 404 when there is none. */
export async function sessionThread(conversations: ConversationApi, sessionId: string): Promise<string> {
  const threadKey = threadKeyOf(sessionId);
  if (!(await conversations.session(threadKey))) throw notFound("session", sessionId);
  return threadKey;
}

/** A message from `user` in session `sessionId`: a new turn of its conversation (404 for no such session). */
export async function sendMessage(
  streams: RunStreams,
  user: string,
  sessionId: string,
  body: z.infer<typeof MessageSchema>,
): Promise<Kept & { threadKey: string; after: number }> {
  const threadKey = await sessionThread(streams.conversations, sessionId);
  const attachments: Attachment[] = (body.files ?? []).map((file) => ({
    name: file.name,
    ...(file.mime_type ? { mimeType: file.mime_type } : {}),
    ...(file.text === undefined ? {} : { text: file.text, size: Buffer.byteLength(file.text, "utf8") }),
    ...(file.data === undefined ? {} : { data: file.data, size: Buffer.from(file.data, "base64").length }),
  }));
  const kept = await keep((onRun) =>
    streams.conversations.send(
      { platform: "http", threadKey, user, text: body.text, format: body.format, attachments },
      { follow: false, onRun },
    ),
  );
  // A new run: everything it logs is new.
  return { ...kept, threadKey, after: 0 };
}

/**
 * `user`'s decision on an approval of an API session (one of another platform's is not found here):
 * the approvers rule is the service's (the requester, or OCTO_APPROVERS). Resolves with the run it
 * resumes and the seq its events continue after.
 */
export async function decide(
  streams: RunStreams,
  user: string,
  approvalId: string,
  body: z.infer<typeof DecisionSchema>,
): Promise<Kept & { threadKey: string; after: number }> {
  const { conversations } = streams;
  const approval = await conversations.approval(approvalId);
  if (!approval?.threadKey.startsWith(THREAD_PREFIX)) throw notFound("approval", approvalId);
  const after = (await conversations.run(approval.runId))?.lastSeq ?? 0;
  const kept = await keep(
    (onRun) =>
      conversations.decide(
        approvalId,
        {
          decision: body.decision,
          ...(body.edited_task === undefined ? {} : { editedTask: body.edited_task }),
          by: user,
          threadKey: approval.threadKey,
        },
        { follow: false, onRun },
      ),
    { input_empty: "edited_task", input_too_long: "edited_task" },
  );
  // The decision itself is the first event logged after `after`; nothing to say before it.
  return { runId: kept.runId, early: [], threadKey: approval.threadKey, after };
}
