import { randomBytes } from "node:crypto";
import type { OutputFormat } from "../../supervisor/types.js";

/**
 * What a retry button re-sends. Slack button values hold 2000 characters and a request holds more, so
 * the button carries an id and the request stays here, in memory: after a restart the button answers
 * that it expired and asks for the request again, which is honest and loses nothing.
 */
export interface RetryEntry {
  threadKey: string;
  user: string;
  text: string;
  format: OutputFormat | undefined;
}

export class RetryBook {
  private readonly entries = new Map<string, { entry: RetryEntry; expiresAt: number }>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly maxEntries = 10_000,
  ) {}

  add(entry: RetryEntry): string {
    this.prune();
    const id = `rt_${randomBytes(12).toString("base64url")}`;
    this.entries.set(id, { entry, expiresAt: Date.now() + this.ttlMs });
    // Map keeps insertion order: the first keys are the oldest.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return id;
  }

  get(id: string): RetryEntry | undefined {
    const found = this.entries.get(id);
    if (!found || found.expiresAt <= Date.now()) return undefined;
    return found.entry;
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, { expiresAt }] of this.entries) if (expiresAt <= now) this.entries.delete(id);
  }
}
