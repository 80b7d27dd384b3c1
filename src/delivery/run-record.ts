import { setTimeout as sleep } from "node:timers/promises";
import type { Delivery } from "./context.js";

/**
 * What a run already put into its thread, as the ledger keeps it across processes, by item:
 * - `progress`: the progress card;
 * - `stream:<n>`: the n-th progress stream of the run (a run that waits for approval stops its stream,
 *   and its resumed part opens the next one), with `stream:<n>:stopped` once it is stopped;
 * - `approval:<id>`, `result`, `error:<kind>`: what was posted once.
 * A card or a stream is claimed before it is opened, so two processes never both open one; the other
 * waits for its id and carries it on. A ledger that cannot be read is no reason to stay silent: the run
 * is then delivered as if nothing was.
 */
const CLAIM_WAITS = 40;
const CLAIM_WAIT_MS = 50;
const STREAM_ITEM = /^stream:(\d+)$/;

export type Claim = { mine: true } | { mine: false; messageId: string | undefined };

export class RunRecord {
  private constructor(
    private readonly ctx: Delivery<unknown>,
    private readonly threadKey: string,
    private readonly runId: string,
    private readonly items: Map<string, string>,
  ) {}

  /**
   * `progressCard`: a message the request named to show the run's progress (a Discord command's
   * deferred reply), recorded as the run's card unless the ledger already names one.
   */
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
    if (progressCard && !record.get("progress")) await record.note("progress", progressCard);
    return record;
  }

  /** The item's message id once posted (a claim not yet posted reads as undefined). */
  get(item: string): string | undefined {
    return this.items.get(item) || undefined;
  }

  /** The latest stream of the run: its id once posted, and whether it was stopped. */
  latestStream():
    | { item: string; number: number; messageId: string | undefined; stopped: boolean }
    | undefined {
    let latest = 0;
    for (const item of this.items.keys()) {
      const number = Number(STREAM_ITEM.exec(item)?.[1] ?? 0);
      if (number > latest) latest = number;
    }
    if (latest === 0) return undefined;
    const item = `stream:${latest}`;
    return { item, number: latest, messageId: this.get(item), stopped: this.items.has(`${item}:stopped`) };
  }

  /**
   * Claims the right to post `item`: mine, or the id another delivery posted it under once it is
   * posted (undefined when its post never came). Without a run id there is nothing to share.
   */
  async claim(item: string): Promise<Claim> {
    if (!this.runId) return { mine: true };
    const known = this.get(item);
    if (known) return { mine: false, messageId: known };
    const mine = await this.ctx.ledger.claimDelivery(this.runId, this.threadKey, item).catch(() => true);
    if (mine) {
      this.items.set(item, "");
      return { mine: true };
    }
    return { mine: false, messageId: await this.waitFor(item) };
  }

  private async waitFor(item: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < CLAIM_WAITS; attempt += 1) {
      const id = (await this.ctx.ledger.delivered(this.runId).catch(() => new Map())).get(item);
      if (id) {
        this.items.set(item, id);
        return id;
      }
      await sleep(CLAIM_WAIT_MS);
    }
    return undefined;
  }

  async note(item: string, messageId: string): Promise<void> {
    if (this.get(item)) return;
    this.items.set(item, messageId);
    if (!this.runId) return;
    await this.ctx.ledger
      .recordDelivery(this.runId, this.threadKey, item, messageId)
      .catch((error: unknown) =>
        this.ctx.log.warn({ err: error, runId: this.runId, item }, "could not record a delivery"),
      );
  }
}
