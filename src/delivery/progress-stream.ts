import type { ProgressState } from "../renderers/progress.js";
import type { StreamTask, StreamUpdate } from "../renderers/types.js";
import { CoalescingUpdater } from "./coalescing-updater.js";
import type { ProgressStream } from "./sink.js";

/** The plan as the stream shows it: a title and every step as a task. */
export interface PlanView {
  title: string;
  tasks: StreamTask[];
}

export interface StreamedProgressOptions<M> {
  /** Opens the stream with its first write (a new stream), or the stream to carry on (adopted). */
  source: { open: (first: StreamUpdate) => Promise<ProgressStream<M>> } | { adopt: ProgressStream<M> };
  render: (state: ProgressState) => PlanView;
  minIntervalMs: number;
  /** Told once, when a write fails: nothing more is written to this stream. */
  onBroken: (error: unknown) => void;
}

/**
 * One progress stream of a run (Slack: one streaming message with the plan's tasks). Each write carries
 * only what changed since the last one (the plan title, the tasks whose card differs), so a burst of
 * events costs one call; writes are coalesced and spaced like the card's edits, and at most one is in
 * flight. A rate limit is waited out by the platform client meanwhile (Slack's honours Retry-After).
 */
export class StreamedProgress<M> {
  private stream: ProgressStream<M> | undefined;
  private readonly shownTasks = new Map<string, string>();
  private shownTitle: string | undefined;
  private readonly updater: CoalescingUpdater<ProgressState>;
  private failure: { error: unknown } | undefined;
  private ended = false;
  private writes = 0;
  private abandoning: Promise<void> | undefined;

  constructor(private readonly options: StreamedProgressOptions<M>) {
    if ("adopt" in options.source) this.stream = options.source.adopt;
    this.updater = new CoalescingUpdater((state) => this.write(this.changes(options.render(state))), {
      minIntervalMs: options.minIntervalMs,
      onError: (error) => this.break(error),
    });
  }

  /** Carried on from an earlier delivery rather than opened by this one. */
  get adopted(): boolean {
    return "adopt" in this.options.source;
  }

  /** Nothing was written to it yet by this delivery. */
  get untouched(): boolean {
    return this.writes === 0;
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  /** Stopped, or broken: either way it takes no more writes. */
  get closed(): boolean {
    return this.ended || this.broken;
  }

  get messageId(): string | undefined {
    return this.stream?.messageId;
  }

  show(state: ProgressState): void {
    if (!this.closed) this.updater.push(state);
  }

  /** Writes `state` without waiting out the spacing, and resolves once it is written. */
  async showNow(state: ProgressState): Promise<void> {
    if (!this.closed) await this.updater.finish(state);
  }

  /** Writes `plan` and `markdown` at once, after what is in flight; false when the stream broke. */
  async append(plan: PlanView, markdown?: string): Promise<boolean> {
    await this.updater.discard();
    if (this.closed) return false;
    try {
      await this.write({ ...this.changes(plan), ...(markdown ? { markdown } : {}) });
      return true;
    } catch (error) {
      this.break(error);
      return false;
    }
  }

  /**
   * Ends the stream with the plan as `plan` shows it and `closing` below; false when it could not be
   * stopped (it broke, or was never opened).
   */
  async stop(plan: PlanView | undefined, closing?: M): Promise<boolean> {
    await this.updater.discard();
    if (this.closed || !this.stream) return false;
    this.ended = true;
    try {
      await this.stream.stop(plan ? this.changes(plan) : {}, closing);
      return true;
    } catch (error) {
      this.failure = { error };
      return false;
    }
  }

  /** Stops a stream that broke, if it was opened, so it is not left streaming; failures are ignored. */
  abandon(): void {
    const stream = this.stream;
    if (!stream || this.ended) return;
    this.ended = true;
    this.abandoning = this.updater
      .discard()
      .then(() => stream.stop({}))
      .catch(() => undefined);
  }

  async settled(): Promise<void> {
    await this.updater.settled();
    await this.abandoning;
  }

  private changes(plan: PlanView): StreamUpdate {
    const tasks = plan.tasks.filter((task) => this.shownTasks.get(task.id) !== JSON.stringify(task));
    return {
      ...(plan.title !== this.shownTitle ? { title: plan.title } : {}),
      ...(tasks.length > 0 ? { tasks } : {}),
    };
  }

  private async write(update: StreamUpdate): Promise<void> {
    if (this.closed) return;
    const empty = !update.title && !update.tasks?.length && !update.markdown;
    if (this.stream && empty) return;
    if (this.stream) await this.stream.append(update);
    else if ("open" in this.options.source) await this.open(this.options.source.open, update);
    this.writes += 1;
    if (update.title) this.shownTitle = update.title;
    for (const task of update.tasks ?? []) this.shownTasks.set(task.id, JSON.stringify(task));
  }

  /**
   * Opens with the plan's title alone and writes its tasks and text right after: tasks sent with the
   * opening call were reported dropped by Slack (not documented either way), and one more call is cheap.
   */
  private async open(
    open: (first: StreamUpdate) => Promise<ProgressStream<M>>,
    update: StreamUpdate,
  ): Promise<void> {
    const { title, ...rest } = update;
    if (!title) {
      this.stream = await open(update);
      return;
    }
    this.stream = await open({ title });
    if (rest.tasks?.length || rest.markdown) await this.stream.append(rest);
  }

  private break(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    void this.updater.discard();
    this.options.onBroken(error);
  }
}
