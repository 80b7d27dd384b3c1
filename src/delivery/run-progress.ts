import type { RunResult } from "../conversations/events.js";
import type { ProgressState } from "../renderers/progress.js";
import type { Locale, RenderedFile, RenderResultOptions, StreamRenderer } from "../renderers/types.js";
import type { Delivery } from "./context.js";
import { ProgressCard } from "./progress-card.js";
import { type PlanView, StreamedProgress } from "./progress-stream.js";
import type { RunRecord } from "./run-record.js";
import { isStreamRefused, type ThreadSink } from "./sink.js";

/**
 * Where one delivery of a run shows its progress: the platform's native stream where the sink and the
 * renderer have one, else the edited progress card. A stream that fails hands over to the card at once,
 * with everything known so far, and the card stays for the rest of the run (a run once on a card is
 * never streamed again, also after a restart: the ledger's `progress` item says so). A stream is
 * stopped when the run pauses for approval and when its delivery ends; the resumed part of the run
 * opens the next one, and a delivery carried on after a crash continues the stream it finds open.
 */
export class RunProgress<M> {
  private readonly card: ProgressCard<M>;
  private stream: StreamedProgress<M> | undefined;
  private streamItem = "";
  private onCard = false;
  private retriedStream = false;
  private record: RunRecord | undefined;
  private latest: ProgressState | undefined;
  private ensuring: Promise<unknown> = Promise.resolve();
  private fallingBack: Promise<void> | undefined;

  constructor(
    private readonly ctx: Delivery<M>,
    private readonly sink: ThreadSink<M>,
    /** The person the run is for: a stream's recipient. */
    private readonly user: string,
    /**
     * The run's own delivery (its job's), which may stop a stream an earlier delivery of the run left
     * open; a delivery of what a request or click got at once never touches a stream it did not open.
     */
    private readonly owner: boolean,
  ) {
    this.card = new ProgressCard(sink, ctx.progressIntervalMs, (id) => this.record?.note("progress", id));
  }

  /** Something of the run's progress is in the thread, or on its way. */
  get opened(): boolean {
    return this.card.opened || this.stream !== undefined;
  }

  /**
   * Shows `state`, opening the stream or the card on first use; writes are coalesced. `urgent` (a new
   * plan): a stream shows it before the next event is handled, so every task is seen pending first.
   */
  async show(record: RunRecord, state: ProgressState, options: { urgent?: boolean } = {}): Promise<void> {
    this.record = record;
    this.latest = state;
    const renderer = this.streaming(record);
    if (!renderer || !(await this.ensureStream(record, renderer))) return this.showCard(record, state);
    if (options.urgent) await this.stream?.showNow(state);
    else this.stream?.show(state);
  }

  /** The run waits for a decision: the stream shows where it stands and stops (the card just shows it). */
  async pause(record: RunRecord, state: ProgressState): Promise<void> {
    if (this.onCard || !this.stream) return this.show(record, state);
    await this.end(record, state);
  }

  /** The run's last state, without an answer (a failure, an answer already given, the delivery's end). */
  async finish(record: RunRecord, state: ProgressState): Promise<void> {
    this.record = record;
    this.latest = state;
    await this.fallingBack;
    await this.end(record, state);
    if (this.card.opened) await this.card.finish(this.ctx.renderer.progress(state, state.locale));
  }

  /** Stops the delivery's stream if it is still open (the card needs nothing more). */
  async close(record: RunRecord, state: ProgressState): Promise<void> {
    await this.fallingBack;
    await this.end(record, state);
  }

  /**
   * Streams the answer and stops the stream with the result's closing blocks. Resolves with what is
   * left to post (the rest of a long answer, files), or undefined when there is no stream to answer in:
   * the answer is then posted after the card, as without streams.
   */
  async answer(
    record: RunRecord,
    state: ProgressState,
    result: RunResult,
    locale: Locale,
    options: RenderResultOptions = {},
  ): Promise<{ messages: M[]; files: RenderedFile[] } | undefined> {
    this.record = record;
    this.latest = state;
    const renderer = this.streaming(record);
    if (!renderer) return undefined;
    const answer = await renderer.answer(state, result, locale, options);
    const plan = { title: answer.update.title ?? "", tasks: answer.update.tasks ?? [] };
    let stream: StreamedProgress<M> | undefined;
    // Twice at most: a stream carried on from before a crash may have ended, and the next one is opened.
    for (let attempt = 0; attempt < 2 && !stream; attempt += 1) {
      if (!(await this.ensureStream(record, renderer)) || !this.stream) return undefined;
      const candidate = this.stream;
      if (await candidate.append(plan, answer.update.markdown)) stream = candidate;
      else if (this.onCard) return undefined;
    }
    if (!stream) return undefined;
    // Recorded before the stop: a delivery carried on after a crash must not stream the answer again.
    await record.note("result", stream.messageId ?? "streamed");
    const stopped = await stream.stop(undefined, answer.closing);
    if (stopped) await record.note(`${this.streamItem}:stopped`, "stopped");
    else this.ctx.log.warn({ threadKey: state.threadKey }, "could not stop a progress stream");
    // A stop that failed dropped the closing blocks: they are posted instead.
    const closing = !stopped && answer.closing ? [answer.closing] : [];
    return { messages: [...closing, ...answer.followUps], files: answer.files };
  }

  async settled(): Promise<void> {
    await this.fallingBack;
    await this.stream?.settled();
    await this.card.settled();
  }

  /** The stream renderer when this run streams: the platform can, and the run is not on a card. */
  private streaming(record: RunRecord): StreamRenderer<M> | undefined {
    const renderer = this.ctx.renderer.stream;
    if (this.onCard || !renderer || !this.sink.openProgressStream) return undefined;
    if (record.get("progress") || this.card.opened) return undefined;
    return renderer;
  }

  /**
   * An open stream to write to: this delivery's, the run's open one, or a new one; false: use the card.
   * One at a time, so two callers (an event and a fallback) never open two streams.
   */
  private ensureStream(record: RunRecord, renderer: StreamRenderer<M>): Promise<boolean> {
    const next = this.ensuring.then(() => this.openStream(record, renderer));
    this.ensuring = next.catch(() => false);
    return next;
  }

  private async openStream(record: RunRecord, renderer: StreamRenderer<M>): Promise<boolean> {
    if (this.onCard) return false;
    if (this.stream && !this.stream.closed) return true;
    const options = this.streamOptions(renderer);
    if (this.adoptOpen(record)) return true;
    const item = `stream:${(record.latestStream()?.number ?? 0) + 1}`;
    const claim = await record.claim(item);
    if (!claim.mine && claim.messageId && this.adopt(item, claim.messageId)) return true;
    const open = this.sink.openProgressStream;
    if (!open) return false;
    this.streamItem = item;
    this.stream = new StreamedProgress({
      ...options,
      source: {
        open: async (first) => {
          const stream = await open.call(this.sink, this.user, first);
          await record.note(item, stream.messageId);
          return stream;
        },
      },
    });
    return true;
  }

  private streamOptions(renderer: StreamRenderer<M>) {
    return {
      render: (state: ProgressState): PlanView => renderer.progress(state, state.locale),
      minIntervalMs: this.ctx.progressIntervalMs,
      onBroken: (error: unknown) => this.broke(error),
    };
  }

  /** Carries on the run's latest stream when an earlier delivery left it open; false when there is none. */
  private adoptOpen(record: RunRecord): boolean {
    const latest = record.latestStream();
    return Boolean(
      latest && !latest.stopped && latest.messageId && this.adopt(latest.item, latest.messageId),
    );
  }

  private adopt(item: string, messageId: string): boolean {
    const renderer = this.ctx.renderer.stream;
    const stream = renderer && this.sink.progressStream?.(messageId);
    if (!renderer || !stream) return false;
    this.streamItem = item;
    this.stream = new StreamedProgress({ ...this.streamOptions(renderer), source: { adopt: stream } });
    return true;
  }

  /**
   * Stops the stream with `state`; one that will not stop leaves the card to show it. Without a stream
   * of its own, the delivery stops the one an earlier delivery of the run left open (a crash after the
   * answer was streamed), so none is left streaming.
   */
  private async end(record: RunRecord, state: ProgressState): Promise<void> {
    const renderer = this.ctx.renderer.stream;
    if (!this.stream && this.owner) this.adoptOpen(record);
    const stream = this.stream;
    if (!stream || stream.closed || !renderer) return;
    // A delivery that knows no step would only blank the plan the stream shows.
    const plan = state.steps.length > 0 ? renderer.progress(state, state.locale) : undefined;
    if (await stream.stop(plan)) {
      await record.note(`${this.streamItem}:stopped`, "stopped");
    } else if (stream.messageId) {
      this.ctx.log.warn(
        { threadKey: state.threadKey },
        "could not stop a progress stream; the card shows the run",
      );
      this.onCard = true;
      await this.showCard(record, state);
    }
  }

  /**
   * A stream write failed. A stream carried on from before a crash may simply have ended meanwhile: the
   * run then opens its next one, once. Otherwise the card takes over with everything known so far. The
   * choice is made at once, before anything else can write.
   */
  private broke(error: unknown): void {
    const stream = this.stream;
    const record = this.record;
    const state = this.latest;
    if (stream?.adopted && stream.untouched && !this.retriedStream && !isStreamRefused(error)) {
      this.retriedStream = true;
      this.stream = undefined;
      if (record) void record.note(`${this.streamItem}:stopped`, "ended");
    } else {
      this.onCard = true;
      stream?.abandon();
      if (!isStreamRefused(error))
        this.ctx.log.warn(
          { threadKey: state?.threadKey, error: this.ctx.errorCode(error) },
          "progress stream failed; the progress card carries on",
        );
    }
    if (record && state)
      this.fallingBack = this.show(record, state).catch((failure: unknown) =>
        this.ctx.log.warn(
          { err: failure, threadKey: state.threadKey },
          "could not show progress after a stream failed",
        ),
      );
  }

  private async showCard(record: RunRecord, state: ProgressState): Promise<void> {
    const message = this.ctx.renderer.progress(state, state.locale);
    if (this.card.opened) return this.card.show(message);
    const claim = await record.claim("progress");
    if (!claim.mine && claim.messageId) this.card.adopt(claim.messageId, message);
    else this.card.open(message);
  }
}
