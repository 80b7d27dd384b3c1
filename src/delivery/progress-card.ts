import { CoalescingUpdater } from "./coalescing-updater.js";
import type { ThreadSink } from "./sink.js";

/**
 * The one message that shows a run's progress: posted once, then edited, each edit coalesced and spaced
 * so a burst of events costs one call. A post or edit the platform refuses is already logged by the sink;
 * a missed card edit is not worth more.
 */
export class ProgressCard<M> {
  private id: Promise<string | undefined> | undefined;
  private readonly updater: CoalescingUpdater<M>;

  constructor(
    private readonly sink: ThreadSink<M>,
    minIntervalMs: number,
    /** Told the card's message id once it is posted (the delivery record). */
    private readonly onPosted: (messageId: string) => void | Promise<void> = () => {},
  ) {
    this.updater = new CoalescingUpdater((message) => this.write(message), {
      minIntervalMs,
      onError: () => {},
    });
  }

  get opened(): boolean {
    return this.id !== undefined;
  }

  open(message: M): void {
    if (this.id) return;
    this.updater.markSent();
    this.id = this.sink.post(message).then(
      async (id) => {
        await this.onPosted(id);
        return id;
      },
      () => undefined,
    );
  }

  /** Takes over a card an earlier delivery of the run posted, and brings it up to date. */
  adopt(messageId: string, message: M): void {
    if (this.id) return;
    this.id = Promise.resolve(messageId);
    this.updater.push(message);
  }

  show(message: M): void {
    if (!this.id) this.open(message);
    else this.updater.push(message);
  }

  /** The card's final state, sent without waiting out the spacing; nothing when it was never opened. */
  async finish(message: M): Promise<void> {
    if (!this.id) return;
    await this.updater.finish(message);
  }

  async settled(): Promise<void> {
    await this.id;
    await this.updater.settled();
  }

  private async write(message: M): Promise<void> {
    const id = await this.id;
    if (id) await this.sink.update(id, message);
  }
}
