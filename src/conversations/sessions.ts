import { OctoError } from "../vocabulary/index.js";
import type { ServiceCore } from "./core.js";
import { busyBeyond } from "./submit.js";
import type { NewSession, Platform, SessionChanges } from "./types.js";
import { type ConversationSession, sessionViewOf } from "./views.js";

/**
 * Sessions a client manages itself (the HTTP API): opened before their first message, renamed, marked
 * done. Everything else about a session (its status while runs go, its turns) is the service's.
 */
export async function createSession(core: ServiceCore, input: NewSession): Promise<ConversationSession> {
  const { record, created } = await core.store.sessions.create({
    threadId: input.threadKey,
    platform: input.platform,
    requester: input.requester,
    title: input.title ?? "",
    locale: "en",
    format: core.settings.defaultFormat,
    metadata: input.metadata ?? {},
  });
  if (created) core.log.info({ threadKey: input.threadKey, platform: input.platform }, "session opened");
  return sessionViewOf(record);
}

export async function updateSession(
  core: ServiceCore,
  threadKey: string,
  changes: SessionChanges,
): Promise<ConversationSession | undefined> {
  if (changes.status !== undefined) {
    const current = await core.store.sessions.get(threadKey);
    if (!current) return undefined;
    // A status says where runs stand: it is not a client's to change while one is under way or waits.
    const waiting = current.status === "waiting_human" || current.status === "active";
    if (waiting || (await busyBeyond(core, threadKey, 0, 2)))
      throw new OctoError("thread_busy", "work queued, running or waiting for a decision");
  }
  const record = await core.store.sessions.update(threadKey, {
    ...(changes.title === undefined ? {} : { title: changes.title }),
    ...(changes.status === undefined ? {} : { status: changes.status }),
    ...(changes.metadata === undefined ? {} : { metadata: changes.metadata }),
  });
  return record ? sessionViewOf(record) : undefined;
}

export async function sessionsOf(
  core: ServiceCore,
  user: string,
  options: { platform?: Platform | undefined; limit?: number | undefined } = {},
): Promise<ConversationSession[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 200);
  return (await core.store.sessions.listByRequester(user, limit, options.platform)).map(sessionViewOf);
}
