import { setTimeout as sleep } from "node:timers/promises";
import type { RunEvent } from "../conversations/events.js";
import { errorEvent } from "../conversations/index.js";
import type { EventStream } from "../conversations/types.js";
import { applyRunEvent, initialProgress, type ProgressState } from "../renderers/progress.js";
import type { Rendered } from "../renderers/types.js";
import type { Locale } from "../vocabulary/index.js";
import type { Delivery } from "./context.js";
import { ProgressCard } from "./progress-card.js";
import type { ThreadSink } from "./sink.js";
import { ThreadStatus } from "./thread-status.js";

/**
 * Turns a run's event stream into messages in its thread: a progress card edited as steps move,
 * approval cards, then the answer and its files, or a polite error, with a retry button when the service
 * kept the request for one (its `retry_id`: stored in the database, so the button works after a restart
 * and on any replica).
 */
export interface RunTarget {
  threadKey: string;
  /** Who the run is for: their locale is remembered, and private refusals go to them. */
  user: string;
  locale: Locale;
  /** Post the progress card before the first event (new requests) or only once events come (resumes). */
  cardAtOnce: boolean;
  /** Refusals that change nothing, before any run started, go to `user` alone. */
  quiet?: boolean;
  /** Approval cards already in the thread (approval id -> message id), to redraw when reopened. */
  cards?: Map<string, string>;
  /**
   * The run whose deliveries are recorded (see DeliveryLedger.delivered): its progress card is edited,
   * not posted again, and what was posted before is skipped. Undefined: the first event's run.
   */
  runId?: string;
  /**
   * A message already in the thread that is the run's progress card (Discord: the slash command's
   * deferred reply): edited, never posted, unless the run's record names another.
   */
  progressCard?: string | undefined;
}

export async function deliverRun<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  stream: EventStream,
  target: RunTarget,
): Promise<void> {
  const { renderer } = ctx;
  let state: ProgressState = initialProgress(target.locale);
  let locale = target.locale;
  const cards = new Map(target.cards);
  const progress = () => renderer.progress(state, locale);
  let record: RunRecord | undefined;
  const recordOf = async (runId: string) => {
    record ??= await RunRecord.load(ctx, target.threadKey, target.runId ?? runId, target.progressCard);
    return record;
  };
  const card = new ProgressCard(sink, ctx.progressIntervalMs, (id) => record?.note("progress", id));
  const status = new ThreadStatus(ctx, sink, target.threadKey);
  if (target.cardAtOnce) {
    const known = await recordOf(target.runId ?? "");
    await known.openCard(card, progress());
  }

  const handle = async (event: RunEvent) => {
    state = applyRunEvent(state, event);
    locale = event.locale;
    ctx.userLocales.set(target.user, locale);
    status.observe(event, state, locale);
    const done = await recordOf(event.runId);
    switch (event.type) {
      case "approval_requested": {
        await done.openCard(card, progress());
        const item = `approval:${event.approval.approval_id}`;
        const posted = done.get(item);
        if (posted) {
          cards.set(event.approval.approval_id, posted);
          return;
        }
        const [id] = await postAll(ctx, sink, [renderer.approval(event.approval, locale)]);
        if (id) {
          cards.set(event.approval.approval_id, id);
          await done.note(item, id);
        }
        return;
      }
      case "approval_reopened": {
        // Resuming after the decision failed: the card gets its buttons back, where it is known.
        done.openCard(card, progress());
        const id =
          cards.get(event.approval.approval_id) ?? done.get(`approval:${event.approval.approval_id}`);
        if (id) await sink.update(id, renderer.approval(event.approval, locale)).catch(() => undefined);
        return;
      }
      case "result": {
        await card.finish(progress());
        if (done.get("result")) return;
        const rendered = await renderer.result(event.result, locale, { feedbackRunId: event.runId });
        if (sink.postWithFiles) {
          const withFiles = sink.postWithFiles.bind(sink);
          const [first] = await postAllWithFiles(ctx, sink, withFiles, rendered, locale);
          await done.note("result", first ?? "posted");
          return;
        }
        const [first] = await postAll(ctx, sink, rendered.messages);
        await done.note("result", first ?? "posted");
        if (rendered.files.length > 0) await uploadAll(ctx, sink, rendered.files, locale);
        return;
      }
      case "error": {
        if (target.quiet && !card.opened && !event.retryable) {
          await postPrivately(sink, target.user, renderer.error(event, locale));
          return;
        }
        await card.finish(progress());
        const item = `error:${event.kind}`;
        if (done.get(item)) return;
        const [id] = await postAll(ctx, sink, [renderer.error(event, locale, { retryId: event.retry_id })]);
        await done.note(item, id ?? "posted");
        return;
      }
      default:
        await done.openCard(card, progress());
    }
  };

  try {
    for await (const event of stream) await handle(event);
  } catch (error) {
    // The service reports failures as events; reaching here means it broke, which the person still hears about.
    ctx.log.error({ err: error, threadKey: target.threadKey }, "run event stream failed");
    await handle(errorEvent(error, { threadKey: target.threadKey, runId: state.runId, locale }));
  }
  await card.settled();
  await status.settled();
}

/**
 * What a run already put into its thread, as the ledger keeps it across processes. A ledger that
 * cannot be read is no reason to stay silent: the run is then delivered as if nothing was.
 */
const CARD_WAITS = 40;
const CARD_WAIT_MS = 50;

class RunRecord {
  private constructor(
    private readonly ctx: Delivery<unknown>,
    private readonly threadKey: string,
    private readonly runId: string,
    private readonly items: Map<string, string>,
  ) {}

  static async load<M>(
    ctx: Delivery<M>,
    threadKey: string,
    runId: string,
    progressCard?: string,
  ): Promise<RunRecord> {
    const items = runId
      ? await ctx.ledger.delivered(runId).catch((error: unknown) => {
          ctx.log.warn({ err: error, runId }, "could not read what a run delivered");
          return new Map<string, string>();
        })
      : new Map<string, string>();
    const record = new RunRecord(ctx as Delivery<unknown>, threadKey, runId, items);
    if (progressCard && !items.has("progress")) await record.note("progress", progressCard);
    return record;
  }

  get(item: string): string | undefined {
    return this.items.get(item);
  }

  /**
   * Posts the progress card, or takes over the one another delivery of the run posted (a "queued" card
   * from the process that accepted the request, a card from before a crash). Claimed first, so two
   * processes never both post one.
   */
  async openCard<M>(card: ProgressCard<M>, message: M): Promise<void> {
    if (card.opened) return card.show(message);
    const posted = this.items.get("progress");
    if (posted) return card.adopt(posted, message);
    if (!this.runId || (await this.claimCard())) return card.open(message);
    const theirs = await this.waitForCard();
    if (theirs) card.adopt(theirs, message);
    else card.open(message);
  }

  private async claimCard(): Promise<boolean> {
    return this.ctx.ledger.claimDelivery(this.runId, this.threadKey, "progress").catch(() => true);
  }

  /** The card another process claimed, once it is posted; undefined when it never came (its post failed). */
  private async waitForCard(): Promise<string | undefined> {
    for (let attempt = 0; attempt < CARD_WAITS; attempt += 1) {
      const id = (await this.ctx.ledger.delivered(this.runId).catch(() => new Map())).get("progress");
      if (id) {
        this.items.set("progress", id);
        return id;
      }
      await sleep(CARD_WAIT_MS);
    }
    return undefined;
  }

  async note(item: string, messageId: string): Promise<void> {
    if (this.items.get(item)) return;
    this.items.set(item, messageId);
    if (!this.runId) return;
    await this.ctx.ledger
      .recordDelivery(this.runId, this.threadKey, item, messageId)
      .catch((error: unknown) =>
        this.ctx.log.warn({ err: error, runId: this.runId, item }, "could not record a delivery"),
      );
  }
}

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
async function postAllWithFiles<M>(
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

async function uploadAll<M>(
  ctx: Delivery<M>,
  sink: ThreadSink<M>,
  files: Parameters<NonNullable<ThreadSink<M>["upload"]>>[0],
  locale: Locale,
): Promise<void> {
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
