import type { Locale, Rendered, RenderedFile } from "../renderers/types.js";
import type { Delivery } from "./context.js";
import type { ThreadSink } from "./sink.js";

/**
 * Posts messages in order, resolving with their ids. One the platform refuses (a rendering bug, say) is
 * replaced by its plain form, and failing that by a log line, so the thread never goes quiet over one.
 */
export async function postAll<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  messages: readonly M[],
): Promise<(string | undefined)[]> {
  const ids: (string | undefined)[] = [];
  for (const message of messages) {
    ids.push(await postOne(ctx, sink, message));
  }
  return ids;
}

async function postOne<M>(ctx: Delivery<M>, sink: ThreadSink<M>, message: M): Promise<string | undefined> {
  try {
    return await sink.post(message);
  } catch {
    const plain = ctx.renderer.plain(message);
    if (!plain) return undefined;
    try {
      return await sink.post(plain);
    } catch (error) {
      ctx.log.error({ error: ctx.errorCode(error) }, "could not post a message even as plain text");
      return undefined;
    }
  }
}

/**
 * The answer on a platform whose messages carry their files: each message with the reply's files. One
 * the platform refuses goes again in its plain form, without files, and the thread is told once that
 * files are missing.
 */
export async function postAllWithFiles<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  postWithFiles: NonNullable<ThreadSink<M>["postWithFiles"]>,
  rendered: Rendered<M>,
  locale: Locale,
): Promise<(string | undefined)[]> {
  const ids: (string | undefined)[] = [];
  let refused: unknown;
  for (const message of rendered.messages) {
    try {
      ids.push(await postWithFiles(message, rendered.files));
    } catch (error) {
      refused ??= error;
      const plain = ctx.renderer.plain(message);
      ids.push(plain ? await postOne(ctx, sink, plain) : undefined);
    }
  }
  if (refused !== undefined && rendered.files.length > 0) {
    const note = ctx.renderer.notice({ kind: "upload_failed", error: ctx.errorCode(refused) }, locale);
    await sink.post(note).catch(() => undefined);
  }
  return ids;
}

export async function uploadAll<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  files: readonly RenderedFile[],
  locale: Locale,
): Promise<void> {
  if (files.length === 0) return;
  try {
    if (!sink.upload) throw new Error("unsupported");
    await sink.upload(files);
  } catch (error) {
    const note = ctx.renderer.notice({ kind: "upload_failed", error: ctx.errorCode(error) }, locale);
    await sink.post(note).catch(() => undefined);
  }
}

/** Shows `message` to `user` alone where the platform can, else in the thread; a refusal is already logged. */
export async function postPrivately<M>(sink: ThreadSink<M>, user: string, message: M): Promise<void> {
  const send = sink.postPrivately ? sink.postPrivately(user, message) : sink.post(message);
  await Promise.resolve(send).catch(() => undefined);
}
